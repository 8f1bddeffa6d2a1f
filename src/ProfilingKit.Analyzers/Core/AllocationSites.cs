using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Places in the operation tree where an allocation the tree shows is not made as written, or is
/// made once rather than repeatedly: the rules check these before they report.
/// </summary>
internal static class AllocationSites
{
    /// <summary>
    /// True when <paramref name="operation"/> is inside a lambda converted to an expression tree:
    /// the compiler turns that code into Expression factory calls, so its boxes, delegates and
    /// params arrays are not allocated where they are written.
    /// </summary>
    public static bool IsInExpressionTree(IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation && current.Parent is not IDelegateCreationOperation) return true;
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="operation"/> is evaluated to build the exception of a throw: it runs
    /// once, on the way out of the hot place, not on every pass.
    /// </summary>
    public static bool IsInThrow(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IThrowOperation:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IBlockOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="operation"/> is an attribute argument: a constant in metadata, never executed.</summary>
    public static bool IsInAttribute(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current.Kind == OperationKind.Attribute) return true;
        }

        return false;
    }

    /// <summary>All three checks: the operation runs as written, and not only to build an exception.</summary>
    public static bool AllocatesAsWritten(IOperation operation) =>
        !IsInThrow(operation) && !IsInExpressionTree(operation) && !IsInAttribute(operation);
}
