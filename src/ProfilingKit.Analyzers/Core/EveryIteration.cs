using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// What a loop does on every iteration: its condition (of a <c>while</c> or <c>for</c>), and the
/// statements of its body that run whenever the body runs (not inside a branch, a switch, a nested
/// loop or a lambda; try, using and lock blocks are looked into; an if's condition counts).
/// </summary>
internal static class EveryIteration
{
    /// <summary>Whether every iteration of <paramref name="loop"/> runs an operation that <paramref name="test"/> accepts.</summary>
    public static bool Does(ILoopOperation loop, Func<IOperation, bool> test)
    {
        switch (loop)
        {
            case IWhileLoopOperation { Condition: { } condition } when Unconditionally(condition, test):
                return true;
            case IForLoopOperation { Condition: { } condition } when Unconditionally(condition, test):
                return true;
        }

        return InStatements(loop.Body, test);
    }

    private static bool InStatements(IOperation statement, Func<IOperation, bool> test)
    {
        switch (statement)
        {
            case IBlockOperation block:
                foreach (var inner in block.Operations)
                {
                    if (InStatements(inner, test)) return true;
                }

                return false;
            case ITryOperation @try:
                return InStatements(@try.Body, test);
            case IUsingOperation @using:
                return Unconditionally(@using.Resources, test) || InStatements(@using.Body, test);
            case ILockOperation @lock:
                return InStatements(@lock.Body, test);
            case IConditionalOperation conditional:
                return Unconditionally(conditional.Condition, test);
            case ILoopOperation or ISwitchOperation or ILocalFunctionOperation:
                return false;
            default:
                return Unconditionally(statement, test);
        }
    }

    /// <summary>An operation in <paramref name="operation"/> that <paramref name="test"/> accepts and that runs whenever <paramref name="operation"/> runs.</summary>
    private static bool Unconditionally(IOperation operation, Func<IOperation, bool> test)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (test(descendant) && !IsConditionallyRun(descendant, operation)) return true;
        }

        return false;
    }

    /// <summary>Between <paramref name="operation"/> and <paramref name="root"/>: a branch, a ?. or ??, a nested loop or a lambda.</summary>
    private static bool IsConditionallyRun(IOperation operation, IOperation root)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when conditional.Condition != child:
                case IConditionalAccessOperation access when access.WhenNotNull == child:
                case ICoalesceOperation coalesce when coalesce.WhenNull == child:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } binary when binary.RightOperand == child:
                case ILoopOperation or IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return true;
            }
        }

        return false;
    }
}
