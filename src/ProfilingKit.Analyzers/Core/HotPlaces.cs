using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Decides whether an operation is in a hot place: a loop body (syntactically hot) or a member
/// marked [HotPath] (declared hot), or a member with a line that a measured test run's hot-spot
/// summary lists (measured hot; see <see cref="MeasuredHotSpots"/>).
/// </summary>
internal static class HotPlaces
{
    private const string HotPathAttributeName = "HotPathAttribute";

    public static HotPlace Classify(IOperation operation, ISymbol? owningSymbol, AnalyzerOptions options)
    {
        if (ColdPlaces.HotLoop(operation, owningSymbol, options, out var cold) is not null) return new HotPlace(HotPlaceKind.Loop, "in a loop");
        if (cold) return HotPlace.None;

        var hotMember = HotPathMember(owningSymbol);
        if (hotMember is not null) return new HotPlace(HotPlaceKind.HotPathMember, $"in [HotPath] member '{hotMember.Name}'");

        return MeasuredHotPlace(operation, owningSymbol, options);
    }

    /// <summary>Measured hot, or <see cref="HotPlace.None"/>: the member has a line a hot-spot summary lists.</summary>
    public static HotPlace MeasuredHotPlace(IOperation operation, ISymbol? owningSymbol, AnalyzerOptions options)
    {
        var measured = MeasuredHotSpot(operation, options);
        return measured is null
            ? HotPlace.None
            : new HotPlace(HotPlaceKind.MeasuredHot, $"in '{owningSymbol?.Name}', measured hot ({HotSpotSummaryFormat.FormatShare(measured.Share)} of a test run's allocations at line {measured.Line})");
    }

    /// <summary>The hottest summary row inside the member (the operation's root block) that holds <paramref name="operation"/>.</summary>
    public static MeasuredHotSpot? MeasuredHotSpot(IOperation operation, AnalyzerOptions options)
    {
        var hotSpots = MeasuredHotSpots.For(options);
        if (hotSpots.IsEmpty) return null;

        var root = operation;
        while (root.Parent is not null) root = root.Parent;
        return hotSpots.Within(root.Syntax.SyntaxTree, root.Syntax.Span, options, CancellationToken.None);
    }

    /// <summary>
    /// The innermost loop that runs <paramref name="operation"/> on every iteration, or null: not
    /// from a cold place of it (<see cref="ColdPlaces"/>). A foreach's collection and a for loop's
    /// initializers run once; the body of a lambda or local function declared in the loop runs
    /// elsewhere, so the walk stops there.
    /// </summary>
    public static ILoopOperation? EnclosingLoop(IOperation operation, ISymbol? owningSymbol, AnalyzerOptions options) => ColdPlaces.HotLoop(operation, owningSymbol, options, out _);

    /// <summary>True when <paramref name="operation"/> is on a cold path of its member: it is hot neither in a loop nor in a hot member.</summary>
    public static bool IsCold(IOperation operation, ISymbol? owningSymbol, AnalyzerOptions options) =>
        ColdPlaces.HotLoop(operation, owningSymbol, options, out var cold) is null && cold;

    /// <summary>The symbol carrying an attribute named HotPath (any namespace): the member, its property, or a containing type.</summary>
    public static ISymbol? HotPathMember(ISymbol? symbol) => MarkedSymbol(symbol, IsHotPathAttribute);

    /// <summary>The first of the member, its property or event, and its containing types that carries an attribute <paramref name="isMark"/> accepts.</summary>
    public static ISymbol? MarkedSymbol(ISymbol? symbol, Func<AttributeData, bool> isMark)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (HasAttribute(current, isMark)) return current;
            if (current is IMethodSymbol { AssociatedSymbol: { } property } && HasAttribute(property, isMark)) return property;
        }

        return null;
    }

    private static bool HasAttribute(ISymbol symbol, Func<AttributeData, bool> isMark)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (isMark(attribute)) return true;
        }

        return false;
    }

    private static bool IsHotPathAttribute(AttributeData attribute) => attribute.AttributeClass?.Name is HotPathAttributeName or "HotPath";
}
