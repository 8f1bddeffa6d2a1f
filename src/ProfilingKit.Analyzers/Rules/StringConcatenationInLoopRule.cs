using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1001: a string built by concatenation across loop iterations (<c>s += x</c>, <c>s = s + x</c>,
/// <c>s = $"{s}..."</c>, <c>string.Concat</c>/<c>string.Format</c> including <c>s</c>). Each pass
/// copies everything built so far, so n iterations copy O(n²) characters. Only loop-carried
/// values count: the variable lives outside the loop and the new value can reach the next pass.
/// </summary>
internal sealed class StringConcatenationInLoopRule : HotMemberRule
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.StringConcatenationInLoop,
        "String built by concatenation across loop iterations",
        "'{0}' is built by concatenation across loop iterations: each pass copies the whole string so far; use a StringBuilder",
        RuleCategories.Performance,
        DiagnosticSeverity.Warning,
        "A string that grows by concatenation in a loop (s += x, s = s + x, s = $\"{s}...\", string.Concat or string.Format including s) is copied in full on every iteration, so building it costs time and garbage quadratic in its length. A StringBuilder declared before the loop appends in place.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.Loops;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.CompoundAssignment, OperationKind.SimpleAssignment);

    public override Action<OperationAnalysisContext> Start(Compilation compilation) => AnalyzeAssignment;

    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (IAssignmentOperation)context.Operation;

        // Cheap tests first: most assignments are not to a string, and most string assignments are not concatenations of the target.
        if (assignment.Target.Type?.SpecialType != SpecialType.System_String) return;
        if (!IsTrackedVariable(assignment.Target)) return;
        if (!ConcatenatesOntoTarget(assignment)) return;

        var loop = HotPlaces.EnclosingLoop(assignment, context.ContainingSymbol, context.Options);
        if (loop is null) return;
        if (!LivesAcrossIterations(assignment.Target, loop)) return;
        if (!NewValueReachesNextIteration(assignment, loop)) return;

        context.ReportDiagnostic(Diagnostic.Create(Descriptor, ReportedSyntax(assignment).GetLocation(), VariableName(assignment.Target)));
    }

    /// <summary>The assignment as written: for <c>holder?.Text += x</c> (C# 14) the whole expression, not just <c>.Text += x</c>.</summary>
    private static SyntaxNode ReportedSyntax(IAssignmentOperation assignment)
    {
        IOperation current = assignment;
        while (current.Parent is IConditionalAccessOperation access && access.WhenNotNull == current) current = access;
        return current.Syntax;
    }

    /// <summary>A local, parameter, field or property; not an array element or indexer, whose index usually changes per pass.</summary>
    private static bool IsTrackedVariable(IOperation target) =>
        target is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
            or IPropertyReferenceOperation { Arguments.Length: 0 };

    /// <summary><c>s += x</c>, or <c>s = ...</c> where the new value is a concatenation with <c>s</c> as one of its parts.</summary>
    private static bool ConcatenatesOntoTarget(IAssignmentOperation assignment) =>
        assignment switch
        {
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null } => true,
            ISimpleAssignmentOperation simple => IsConcatenationWithPart(simple.Value, simple.Target),
            _ => false,
        };

    /// <summary>
    /// Whether <paramref name="value"/> is a concatenation (string +, interpolated string,
    /// string.Concat, string.Format) with <paramref name="target"/> as a part, directly or in a
    /// nested concatenation. <c>s ?? x</c>, <c>s.Trim() + x</c> and the like do not count.
    /// </summary>
    private static bool IsConcatenationWithPart(IOperation value, IOperation target)
    {
        value = StringConcatenation.WithoutImplicitConversions(value);
        switch (value)
        {
            case IBinaryOperation binary when StringConcatenation.IsConcatenation(binary):
                foreach (var operand in StringConcatenation.Operands(binary))
                {
                    if (IsPart(operand, target)) return true;
                }

                return false;

            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation interpolation && IsPart(interpolation.Expression, target)) return true;
                }

                return false;

            case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Concat" or "Format" } method } invocation
                when method.ContainingType.SpecialType == SpecialType.System_String:
                foreach (var argument in StringConcatenation.ArgumentValues(invocation))
                {
                    if (IsPart(argument, target)) return true;
                }

                return false;

            default:
                return false;
        }
    }

    private static bool IsPart(IOperation part, IOperation target) =>
        StringConcatenation.IsSameVariable(part, target) || IsConcatenationWithPart(part, target);

    /// <summary>
    /// Whether the variable keeps its value from one iteration to the next: a local declared outside
    /// the loop (or in a for loop's initializer), a parameter, a static member, or a member of an
    /// instance that is the same on every pass. A member of the foreach variable (<c>item.Name += "x"</c>)
    /// is a different string on each pass, not one that accumulates.
    /// </summary>
    private static bool LivesAcrossIterations(IOperation variable, ILoopOperation loop)
    {
        variable = StringConcatenation.ResolveConditionalInstance(StringConcatenation.WithoutImplicitConversions(variable));
        return variable switch
        {
            ILocalReferenceOperation local => IsDeclaredOutsideIterations(local.Local, loop),
            IParameterReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null || IsSameOnEveryIteration(field.Instance, loop),
            IPropertyReferenceOperation property => property.Instance is null || IsSameOnEveryIteration(property.Instance, loop),
            _ => false,
        };
    }

    private static bool IsDeclaredOutsideIterations(ILocalSymbol local, ILoopOperation loop)
    {
        if (loop is IForLoopOperation forLoop && forLoop.Locals.Contains(local)) return true;

        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (loop.Syntax.Span.Contains(reference.Span)) return false;
        }

        return true;
    }

    private static bool IsSameOnEveryIteration(IOperation instance, ILoopOperation loop)
    {
        instance = StringConcatenation.ResolveConditionalInstance(StringConcatenation.WithoutImplicitConversions(instance));
        return instance switch
        {
            IInstanceReferenceOperation reference => reference.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance,
            IParameterReferenceOperation parameter => !IsWrittenIn(loop, parameter.Parameter),
            ILocalReferenceOperation local => IsDeclaredOutsideIterations(local.Local, loop) && !IsWrittenIn(loop, local.Local),
            IFieldReferenceOperation field => field.Instance is null || IsSameOnEveryIteration(field.Instance, loop),
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Instance is null || IsSameOnEveryIteration(property.Instance, loop),
            _ => false,
        };
    }

    /// <summary>Whether the loop assigns the local or parameter anywhere (node = node.Next, ref/out arguments, deconstruction).</summary>
    private static bool IsWrittenIn(ILoopOperation loop, ISymbol variable)
    {
        foreach (var operation in loop.Descendants())
        {
            var symbol = operation switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (symbol is not null && SymbolEqualityComparer.Default.Equals(symbol, variable) && IsWrite(operation)) return true;
        }

        return false;
    }

    private static bool IsWrite(IOperation reference)
    {
        var child = reference;
        var parent = reference.Parent;
        while (parent is ITupleOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == child,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            _ => false,
        };
    }

    /// <summary>
    /// Whether the value the assignment stores can be read by the next iteration. It cannot when,
    /// within the loop body, the iteration surely leaves the loop after the assignment (break,
    /// return, throw) or overwrites the variable (s = "") before reaching the loop's back edge, or
    /// when the variable was overwritten earlier in the same iteration, so this concatenation never
    /// sees the previous pass's value. A continue or goto on the way counts as reaching the back edge.
    /// </summary>
    private static bool NewValueReachesNextIteration(IAssignmentOperation assignment, ILoopOperation loop)
    {
        var target = assignment.Target;
        IOperation current = assignment;
        for (var parent = current.Parent; parent is not null && parent != loop; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak }: // return s += x;
                case IThrowOperation:
                    return false;
                case IBlockOperation block:
                    if (!ReachesEndOfStatements(block.Operations, block.Operations.IndexOf(current), target, loop, out var carried)) return carried;
                    break;
                case ISwitchCaseOperation section:
                    if (!ReachesEndOfStatements(section.Body, section.Body.IndexOf(current), target, loop, out carried)) return carried;
                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// Looks around the statement at <paramref name="index"/>. Returns false with the answer in
    /// <paramref name="carried"/> when these statements decide it; true when control goes on past
    /// them to the enclosing statement.
    /// </summary>
    private static bool ReachesEndOfStatements(ImmutableArray<IOperation> statements, int index, IOperation target, ILoopOperation loop, out bool carried)
    {
        carried = false;
        if (index < 0) return true; // a case clause's guard, not a statement of the section

        // Overwritten earlier in this iteration: the concatenation reads this pass's value, not the last one's.
        for (var i = index - 1; i >= 0; i--)
        {
            if (statements[i] is ILabeledOperation) break; // a goto could land after the overwrite
            if (IsOverwrite(statements[i], target)) return false;
        }

        for (var i = index + 1; i < statements.Length; i++)
        {
            var statement = statements[i];
            if (ExitsLoop(statement, loop) || IsOverwrite(statement, target)) return false;

            // A break here leaves the switch, not the loop: go on after the switch.
            if (statement is IBranchOperation { BranchKind: BranchKind.Break }) return true;

            if (MayJumpBack(statement, loop))
            {
                carried = true;
                return false;
            }
        }

        return true;
    }

    private static bool ExitsLoop(IOperation statement, ILoopOperation loop) =>
        statement switch
        {
            IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
            IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak } => true,
            IThrowOperation => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            _ => false,
        };

    /// <summary><c>s = value</c> as a statement, where value does not read s.</summary>
    private static bool IsOverwrite(IOperation statement, IOperation target) =>
        statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }
        && StringConcatenation.IsSameVariable(assignment.Target, target)
        && !StringConcatenation.Reads(assignment.Value, target);

    private static bool MayJumpBack(IOperation statement, ILoopOperation loop)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IBranchOperation { BranchKind: BranchKind.Continue } branch when SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel):
                case IBranchOperation { BranchKind: BranchKind.GoTo }:
                case ILabeledOperation:
                    return true;
            }
        }

        return false;
    }

    private static string VariableName(IOperation target) =>
        target switch
        {
            ILocalReferenceOperation local => local.Local.Name,
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            IFieldReferenceOperation field => field.Field.Name,
            IPropertyReferenceOperation property => property.Property.Name,
            _ => target.Syntax.ToString(),
        };
}
