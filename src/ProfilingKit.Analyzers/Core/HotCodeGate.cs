using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
/// (most of a code base: no loop, no [HotPath]) cost one syntax scan and no callbacks at all.
/// </summary>
/// <remarks>
/// The scan runs once per member, not once per rule: the driver hands every analyzer the same
/// operation block objects for a declaration, so the answer is cached per compilation under the first
/// block. Measured with bench/analyzers (AnalyzerBench measure), the per-rule scans were three quarters
/// of the package's analyzer time before the cache. The cache is a dictionary per compilation rather
/// than a weak table per block: a weak-table entry costs a GC handle, one per member of the code base.
/// </remarks>
internal static class HotCodeGate
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IOperation, MemberHotness>> HotnessByCompilation = new();

    public static void RegisterHotOperationAction(this AnalysisContext context, HotCodeScope scope, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        context.RegisterOperationBlockStartAction(block => RegisterIfHot(block, scope, action, kinds));

    public static void RegisterHotOperationAction(this CompilationStartAnalysisContext context, HotCodeScope scope, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        context.RegisterOperationBlockStartAction(block => RegisterIfHot(block, scope, action, kinds));

    private static void RegisterIfHot(OperationBlockStartAnalysisContext block, HotCodeScope scope, Action<OperationAnalysisContext> action, OperationKind[] kinds)
    {
        if (block.OperationBlocks.IsEmpty) return;

        var cache = HotnessByCompilation.GetValue(block.Compilation, _ => new ConcurrentDictionary<IOperation, MemberHotness>());
        var hotness = cache.TryGetValue(block.OperationBlocks[0], out var cached) ? cached : Compute(cache, block.OperationBlocks, block.OwningSymbol, block.Options);
        if (hotness.HasLoop || (scope == HotCodeScope.LoopsAndHotPathMembers && hotness.ReportsWholeMember)) block.RegisterOperationAction(action, kinds);
    }

    private static MemberHotness Compute(ConcurrentDictionary<IOperation, MemberHotness> cache, ImmutableArray<IOperation> blocks, ISymbol owningSymbol, AnalyzerOptions options)
    {
        // A member with a loop is looked into by every rule, so the rest is asked only of loop-free members.
        var hasLoop = HasLoop(blocks);
        var hotness = new MemberHotness(
            hasLoop,
            !hasLoop
            && (HotPlaces.HotPathMember(owningSymbol) is not null
                || HotPlaceReporter.ReportsOutsideHotPlaces(options, blocks[0].Syntax.SyntaxTree)
                || IsMeasuredHot(blocks, options)));
        return cache.GetOrAdd(blocks[0], hotness); // another rule may have raced us here: either answer is the same
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
            foreach (var node in operationBlock.Syntax.DescendantNodesAndSelf())
            {
                if (node is ForStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax or WhileStatementSyntax or DoStatementSyntax) return true;
            }
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
