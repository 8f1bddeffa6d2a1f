using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>Which members an allocation rule looks into.</summary>
internal enum HotCodeScope
{
    /// <summary>Members with a loop (the rule reports only inside loops).</summary>
    Loops,

    /// <summary>Members with a loop, members in [HotPath] code, measured hot members, and every member when the project reports outside hot places.</summary>
    LoopsAndHotPathMembers,
}

/// <summary>
/// Registers a rule's operation actions only for members that can hold hot code, so cold members
/// (most of a code base: no loop, no [HotPath]) cost a look-up in their tree's <see cref="LoopIndex"/>
/// and no callbacks at all.
/// </summary>
/// <remarks>
/// A member is classified once, not once per rule. The driver runs the analyzers of one declaration
/// one after another on one thread, handing each the same operation blocks, so the member last
/// classified on this thread is the cache: no lock and nothing kept beyond one member per thread (it
/// holds the member's syntax and the options, not the compilation, which an IDE must be free to drop).
/// Were the rules of a member run on different threads, each would classify it again: slower, same
/// answer. The one stale case: the same syntax analyzed in a new compilation with the same options,
/// back to back on one thread, after a [HotPath] on another part of its type changed. Measured with
/// bench/analyzers (AnalyzerBench measure), per-rule classification was three quarters of the
/// package's analyzer time before any cache, and a shared dictionary's locks were a third of what
/// remained.
/// </remarks>
internal static class HotCodeGate
{
    [ThreadStatic] private static SyntaxNode? t_lastMember;
    [ThreadStatic] private static AnalyzerOptions? t_lastOptions;
    [ThreadStatic] private static MemberHotness? t_lastHotness;

    public static void RegisterHotOperationAction(this AnalysisContext context, HotCodeScope scope, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        context.RegisterOperationBlockStartAction(InHotMembers(scope, action, kinds));

    public static void RegisterHotOperationAction(this CompilationStartAnalysisContext context, HotCodeScope scope, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        context.RegisterOperationBlockStartAction(InHotMembers(scope, action, kinds));

    /// <summary>The block-start action that registers <paramref name="action"/> in hot members; the kinds are copied once, not per member.</summary>
    private static Action<OperationBlockStartAnalysisContext> InHotMembers(HotCodeScope scope, Action<OperationAnalysisContext> action, OperationKind[] kinds)
    {
        var kindArray = ImmutableArray.Create(kinds);
        return block => RegisterIfHot(block, scope, action, kindArray);
    }

    private static void RegisterIfHot(OperationBlockStartAnalysisContext block, HotCodeScope scope, Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> kinds)
    {
        if (block.OperationBlocks.IsEmpty) return;

        var member = block.OperationBlocks[0].Syntax;
        var hotness = ReferenceEquals(member, t_lastMember) && ReferenceEquals(block.Options, t_lastOptions) && t_lastHotness is { } cached
            ? cached
            : Compute(block.OperationBlocks, block.OwningSymbol, block.Options);
        if (hotness.HasLoop || (scope == HotCodeScope.LoopsAndHotPathMembers && hotness.ReportsWholeMember)) block.RegisterOperationAction(action, kinds);
    }

    private static MemberHotness Compute(ImmutableArray<IOperation> blocks, ISymbol owningSymbol, AnalyzerOptions options)
    {
        // A member with a loop is looked into by every rule, so the rest is asked only of loop-free members.
        var hasLoop = HasLoop(blocks);
        var hotness = new MemberHotness(
            hasLoop,
            !hasLoop
            && (HotPlaces.HotPathMember(owningSymbol) is not null
                || HotPlaceReporter.ReportsOutsideHotPlaces(options, blocks[0].Syntax.SyntaxTree)
                || IsMeasuredHot(blocks, options)));
        t_lastHotness = hotness;
        t_lastOptions = options;
        t_lastMember = blocks[0].Syntax;
        return hotness;
    }

    private static bool IsMeasuredHot(ImmutableArray<IOperation> blocks, AnalyzerOptions options)
    {
        var hotSpots = MeasuredHotSpots.For(options);
        if (hotSpots.IsEmpty) return false;

        foreach (var block in blocks)
        {
            if (hotSpots.Within(block.Syntax.SyntaxTree, block.Syntax.Span, options, System.Threading.CancellationToken.None) is not null) return true;
        }

        return false;
    }

    private static bool HasLoop(ImmutableArray<IOperation> operationBlocks)
    {
        foreach (var operationBlock in operationBlocks)
        {
            if (LoopIndex.HasLoop(operationBlock.Syntax)) return true;
        }

        return false;
    }

    /// <summary>What the rules need to know about a member before looking into it.</summary>
    private sealed class MemberHotness(bool hasLoop, bool reportsWholeMember)
    {
        /// <summary>The member has a loop (including one in a lambda or local function).</summary>
        public bool HasLoop { get; } = hasLoop;

        /// <summary>The member has no loop and is [HotPath] code or measured hot, or the project reports outside hot places.</summary>
        public bool ReportsWholeMember { get; } = reportsWholeMember;
    }
}
