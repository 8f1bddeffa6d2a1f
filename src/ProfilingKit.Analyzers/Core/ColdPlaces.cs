using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// The one definition of a cold place, which every allocation rule uses through
/// <see cref="HotPlaces"/>: code inside a loop or a hot member that does not run on every pass.
/// <list type="bullet">
/// <item>after which the iteration surely leaves the loop (a <c>break</c> of that loop, <c>return</c>
/// or <c>throw</c> follows before anything can go back to the loop's head), or in the value of a
/// <c>return</c>: it runs at most once per run of the loop;</item>
/// <item>lazy initialisation: the branch of <c>if (x == null)</c> (or <c>x is null</c>) that assigns
/// <c>x</c>, the right side of <c>x ??= ...</c> and of <c>x ?? (x = ...)</c>;</item>
/// <item><c>catch</c> blocks and their filters, the arguments of a <c>throw</c>, branches that end in
/// <c>throw</c>;</item>
/// <item>error-reporting branches: a branch that only logs or raises an error or a warning (LogError,
/// LogWarning, LogCritical, Log(LogLevel.Error...), Console.Error, Trace.TraceError, RaiseError,
/// ReportError, AddError...) and then
/// leaves or goes on; and the arguments of calls the compiler removes outside Debug builds
/// ([Conditional], such as Debug.Assert);</item>
/// <item>what a logging call logs, its arguments (<see cref="LoggingCalls"/>): CA1848 is their fix;</item>
/// <item>code marked [Obsolete] (<see cref="ObsoleteCode"/>): the member or a containing type;</item>
/// <item>loops that wait (<see cref="WaitingLoops"/>): paced by a delay, a timer, I/O or a channel,
/// they run a handful of times per second;</item>
/// <item>loops over reflection metadata (<see cref="ReflectionLoops"/>): reflection costs more per
/// iteration than what the rules would remove, and its results are cached per type.</item>
/// </list>
/// The walk stops at a lambda or local function: its body runs when it is called, not where it is written.
/// </summary>
internal static class ColdPlaces
{
    /// <summary>
    /// The innermost loop that runs <paramref name="operation"/> on every iteration, or null; and
    /// whether the operation is on a cold path of its member (then there is no such loop either).
    /// <paramref name="owningSymbol"/> is the member whose code it is (the analysis context's ContainingSymbol).
    /// </summary>
    public static ILoopOperation? HotLoop(IOperation operation, ISymbol? owningSymbol, AnalyzerOptions options, out bool cold)
    {
        cold = ObsoleteCode.IsCold(owningSymbol, options, operation.Syntax.SyntaxTree);
        if (cold) return null;

        ILabelSymbol? leavesUpTo = null; // the iteration surely leaves the loops up to this one's exit
        var leavesAll = false;           // ... or every loop (return, throw)
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;

                case IThrowOperation:
                case ICatchClauseOperation:
                    cold = true;
                    return null;

                case IConditionalOperation conditional when conditional.Condition != child && IsColdBranch(conditional, child):
                    cold = true;
                    return null;

                case ICoalesceAssignmentOperation coalesceAssignment when coalesceAssignment.Value == child:
                case ICoalesceOperation coalesce when coalesce.WhenNull == child && AssignsValue(coalesce.WhenNull, coalesce.Value):
                    cold = true;
                    return null;

                case IInvocationOperation invocation when child is IArgumentOperation argument && IsColdArgument(invocation, argument, options):
                    cold = true;
                    return null;

                case ISwitchOperation switchOperation when leavesUpTo is not null && SymbolEqualityComparer.Default.Equals(leavesUpTo, switchOperation.ExitLabel):
                    leavesUpTo = null; // that break leaves the switch, not the loop: what follows the switch decides
                    break;

                case IReturnOperation { Kind: OperationKind.Return } when !leavesAll && leavesUpTo is null:
                    leavesAll = true; // return M(x): the pass that evaluates it is the last
                    break;

                case IBlockOperation block when !leavesAll && leavesUpTo is null:
                    LeavesAfter(block.Operations, child, ref leavesUpTo, ref leavesAll);
                    break;

                case ISwitchCaseOperation section when !leavesAll && leavesUpTo is null:
                    LeavesAfter(section.Body, child, ref leavesUpTo, ref leavesAll);
                    break;

                case IForEachLoopOperation forEach when forEach.Collection == child:
                    continue;

                case IForLoopOperation forLoop when forLoop.Before.Contains(child):
                    continue;

                case ILoopOperation loop:
                    if (leavesAll) continue;
                    if (leavesUpTo is not null)
                    {
                        if (SymbolEqualityComparer.Default.Equals(leavesUpTo, loop.ExitLabel)) leavesUpTo = null;
                        continue;
                    }

                    if (IsColdLoop(loop, options))
                    {
                        cold = true;
                        return null;
                    }

                    return loop;
            }
        }

        return null;
    }

    /// <summary>A loop that waits or goes over reflection metadata, unless the project counts those as hot.</summary>
    private static bool IsColdLoop(ILoopOperation loop, AnalyzerOptions options) =>
        WaitingLoops.Waits(loop) && !WaitingLoops.AreHot(options, loop.Syntax.SyntaxTree)
        || ReflectionLoops.AreOverMetadata(loop) && !ReflectionLoops.AreHot(options, loop.Syntax.SyntaxTree);

    /// <summary>
    /// After <paramref name="child"/>, do these statements surely leave the iteration before anything
    /// can jump back (<c>continue</c>, <c>goto</c>, a label)? Sets where to: every loop, or the loops up
    /// to the one a <c>break</c> names.
    /// </summary>
    private static void LeavesAfter(ImmutableArray<IOperation> statements, IOperation child, ref ILabelSymbol? leavesUpTo, ref bool leavesAll)
    {
        var index = statements.IndexOf(child);
        if (index < 0) return;

        for (var i = index + 1; i < statements.Length; i++)
        {
            switch (statements[i])
            {
                case IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak }:
                case IThrowOperation:
                case IExpressionStatementOperation { Operation: IThrowOperation }:
                    leavesAll = true;
                    return;
                case IBranchOperation { BranchKind: BranchKind.Break } branch:
                    leavesUpTo = branch.Target;
                    return;
            }

            if (MayJumpBack(statements[i])) return;
        }
    }

    private static bool MayJumpBack(IOperation statement)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.GoTo } or ILabeledOperation) return true;
        }

        return false;
    }

    /// <summary>The branch of an if (or ?:) that holds <paramref name="child"/> runs rarely: it ends in throw, initializes lazily, or reports an error.</summary>
    private static bool IsColdBranch(IConditionalOperation conditional, IOperation child)
    {
        var branch = conditional.WhenTrue == child ? conditional.WhenTrue : conditional.WhenFalse;
        if (branch is null) return false;
        if (EndsInThrow(branch) || IsErrorReport(branch)) return true;
        return branch == conditional.WhenTrue && NullTestedVariable(conditional.Condition) is { } variable && AssignsValue(branch, variable);
    }

    private static bool EndsInThrow(IOperation branch) => branch switch
    {
        IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation { Operations: { Length: > 0 } operations } => EndsInThrow(operations[operations.Length - 1]),
        _ => false,
    };

    /// <summary>Every statement reports an error or a warning, or leaves; at least one reports.</summary>
    private static bool IsErrorReport(IOperation branch)
    {
        var statements = branch is IBlockOperation block ? block.Operations : ImmutableArray.Create(branch);
        var reports = false;
        foreach (var statement in statements)
        {
            switch (statement)
            {
                case IExpressionStatementOperation { Operation: IInvocationOperation invocation } when IsErrorReportCall(invocation):
                    reports = true;
                    break;
                case IBranchOperation or IReturnOperation:
                    break;
                default:
                    return false;
            }
        }

        return reports;
    }

    private static bool IsErrorReportCall(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "LogError" or "LogWarning" or "LogCritical" or "TraceError" or "TraceWarning" or "Fail" or "FailFast"
                or "RaiseError" or "ReportError" or "AddError" or "OnError":
                return true;
            case "Log" when invocation.Arguments.Length > 0:
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value.Type?.Name == "LogLevel" && argument.Value.ConstantValue is { HasValue: true, Value: int level }) return level >= 3; // Warning, Error, Critical
                }

                return false;
            case "Write" or "WriteLine":
                // Console.Error.WriteLine(...)
                return invocation.Instance is IPropertyReferenceOperation { Property: { Name: "Error", IsStatic: true, ContainingType.Name: "Console" } };
            default:
                return IsRemovedOutsideDebug(method);
        }
    }

    /// <summary>An argument of a Debug-only call, or what a logging call logs (unless logging calls are hot).</summary>
    private static bool IsColdArgument(IInvocationOperation invocation, IArgumentOperation argument, AnalyzerOptions options) =>
        IsRemovedOutsideDebug(invocation.TargetMethod)
        || LoggingCalls.IsLoggedArgument(invocation, argument) && !LoggingCalls.AreHot(options, invocation.Syntax.SyntaxTree);

    /// <summary>[Conditional("DEBUG")] methods (Debug.Assert, Debug.WriteLine...): Release builds do not call them or evaluate their arguments.</summary>
    private static bool IsRemovedOutsideDebug(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "ConditionalAttribute" }
                && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is "DEBUG")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The variable <c>x</c> of <c>x == null</c>, <c>null == x</c>, <c>x is null</c>; null otherwise.</summary>
    private static IOperation? NullTestedVariable(IOperation condition)
    {
        condition = StringConcatenation.WithoutImplicitConversions(condition);
        return condition switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } binary when IsNull(binary.RightOperand) => StringConcatenation.WithoutImplicitConversions(binary.LeftOperand),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } binary when IsNull(binary.LeftOperand) => StringConcatenation.WithoutImplicitConversions(binary.RightOperand),
            IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var value } } pattern when IsNull(value) => StringConcatenation.WithoutImplicitConversions(pattern.Value),
            _ => null,
        };
    }

    private static bool IsNull(IOperation operation) =>
        StringConcatenation.WithoutImplicitConversions(operation).ConstantValue is { HasValue: true, Value: null };

    /// <summary>Whether <paramref name="branch"/> assigns <paramref name="variable"/> (a local, parameter, field or property).</summary>
    private static bool AssignsValue(IOperation branch, IOperation variable)
    {
        variable = StringConcatenation.WithoutImplicitConversions(variable);
        if (variable is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation)) return false;

        foreach (var operation in branch.DescendantsAndSelf())
        {
            if (operation is IAssignmentOperation assignment && StringConcatenation.IsSameVariable(assignment.Target, variable)) return true;
        }

        return false;
    }
}
