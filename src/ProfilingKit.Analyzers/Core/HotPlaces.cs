using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Decides whether an operation is in a hot place: a loop body (syntactically hot) or a member
/// marked [HotPath] (declared hot). Measured hotness from profiles joins here later.
/// </summary>
internal static class HotPlaces
{
    private const string HotPathAttributeName = "HotPathAttribute";

    public static HotPlace Classify(IOperation operation, ISymbol? owningSymbol)
    {
        if (EnclosingLoop(operation) is not null) return new HotPlace(HotPlaceKind.Loop, "in a loop");

        var hotMember = HotPathMember(owningSymbol);
        return hotMember is null
            ? HotPlace.None
            : new HotPlace(HotPlaceKind.HotPathMember, $"in [HotPath] member '{hotMember.Name}'");
    }

    /// <summary>
    /// The innermost loop that runs <paramref name="operation"/> on every iteration, or null. A
    /// foreach's collection and a for loop's initializers run once; the body of a lambda or local
    /// function declared in the loop runs elsewhere, so the walk stops there.
    /// </summary>
    public static ILoopOperation? EnclosingLoop(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return null;
                case IForEachLoopOperation forEach when forEach.Collection == child:
                    continue;
                case IForLoopOperation forLoop when forLoop.Before.Contains(child):
                    continue;
                case ILoopOperation loop:
                    return loop;
            }
        }

        return null;
    }

    /// <summary>The symbol carrying an attribute named HotPath (any namespace): the member, its property, or a containing type.</summary>
    public static ISymbol? HotPathMember(ISymbol? symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (HasHotPathAttribute(current)) return current;
            if (current is IMethodSymbol { AssociatedSymbol: { } property } && HasHotPathAttribute(property)) return property;
        }

        return null;
    }

    private static bool HasHotPathAttribute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.Name is HotPathAttributeName or "HotPath") return true;
        }

        return false;
    }
}
