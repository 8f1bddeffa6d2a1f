using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Threading;
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
/// Runs <see cref="HotMemberRule"/>s only in members that can hold hot code, so cold members (most of
/// a code base: no loop, no [HotPath]) cost one look-up in their tree's <see cref="LoopIndex"/> and no
/// callbacks at all.
/// </summary>
/// <remarks>
/// One operation-block start per member serves every rule: the member is classified once, and each
/// rule that applies gets its operation callback registered on that block. The driver runs a block
/// start per member for each analyzer and walks a hot member's operations once per analyzer; with one
/// analyzer per rule the package measured as much or more (up to 40% more analyzer time) on
/// bench/analyzers (docs/benchmarks/analyzers.md).
/// In a test project the rules are off unless a file asks for them (<see cref="TestProjects"/>).
/// A rule turned off for a file (severity none in .editorconfig or a global config, or /nowarn)
/// is not registered there, so turning one off still saves its work, as it would were it an
/// analyzer of its own (the driver skips an analyzer only when all its rules are off).
/// </remarks>
internal static class HotCodeGate
{
    public static void Register(AnalysisContext context, ImmutableArray<HotMemberRule> rules)
    {
        context.RegisterCompilationStartAction(start =>
        {
            var started = ImmutableArray.CreateBuilder<(HotMemberRule, Action<OperationAnalysisContext>)>(rules.Length);
            foreach (var rule in rules)
            {
                if (rule.Start(start.Compilation) is { } callback) started.Add((rule, callback));
            }

            var inCompilation = new RulesInCompilation(started.ToImmutable(), start.Compilation.Options, TestProjects.IsTestProject(start.Options));
            start.RegisterOperationBlockStartAction(inCompilation.RegisterInHotMember);
        });
    }

    /// <summary>The started rules of one compilation (each with its callback), and which of them are on in each of its files.</summary>
    private sealed class RulesInCompilation(ImmutableArray<(HotMemberRule Rule, Action<OperationAnalysisContext> Callback)> rules, CompilationOptions options, bool isTestProject)
    {
        private readonly ConcurrentDictionary<SyntaxTree, bool[]> _onInTree = new();

        public void RegisterInHotMember(OperationBlockStartAnalysisContext block)
        {
            if (block.OperationBlocks.IsEmpty) return;

            var hasLoop = HasLoop(block.OperationBlocks);
            var wholeMember = !hasLoop && ReportsWholeMember(block.OperationBlocks, block.OwningSymbol, block.Options);
            if (!hasLoop && !wholeMember) return;

            var tree = block.OperationBlocks[0].Syntax.SyntaxTree;
            var on = _onInTree.TryGetValue(tree, out var known) ? known : _onInTree.GetOrAdd(tree, RulesOn(tree, block.Options, block.CancellationToken));
            for (var i = 0; i < rules.Length; i++)
            {
                if (on[i] && (hasLoop || rules[i].Rule.Scope == HotCodeScope.LoopsAndHotPathMembers)) block.RegisterOperationAction(rules[i].Callback, rules[i].Rule.Kinds);
            }
        }

        private bool[] RulesOn(SyntaxTree tree, AnalyzerOptions analyzerOptions, CancellationToken cancellationToken)
        {
            var on = new bool[rules.Length];
            if (isTestProject && !TestProjects.AsksForRules(analyzerOptions, tree)) return on;

            for (var i = 0; i < rules.Length; i++)
            {
                foreach (var descriptor in rules[i].Rule.SupportedDiagnostics)
                {
                    if (!RuleSeverity.IsOff(descriptor, tree, options, analyzerOptions, cancellationToken))
                    {
                        on[i] = true;
                        break;
                    }
                }
            }

            return on;
        }
    }

    /// <summary>A loop-free member in [HotPath] code or measured hot, or any member when the project reports outside hot places.</summary>
    private static bool ReportsWholeMember(ImmutableArray<IOperation> blocks, ISymbol owningSymbol, AnalyzerOptions options) =>
        HotPlaces.HotPathMember(owningSymbol) is not null
        || HotPlaceReporter.ReportsOutsideHotPlaces(options, blocks[0].Syntax.SyntaxTree)
        || IsMeasuredHot(blocks, options);

    private static bool IsMeasuredHot(ImmutableArray<IOperation> blocks, AnalyzerOptions options)
    {
        var hotSpots = MeasuredHotSpots.For(options);
        if (hotSpots.IsEmpty) return false;

        foreach (var block in blocks)
        {
            if (hotSpots.Within(block.Syntax.SyntaxTree, block.Syntax.Span, options, CancellationToken.None) is not null) return true;
        }

        return false;
    }

    /// <summary>The member has a loop (including one in a lambda or local function).</summary>
    private static bool HasLoop(ImmutableArray<IOperation> operationBlocks)
    {
        foreach (var operationBlock in operationBlocks)
        {
            if (LoopIndex.HasLoop(operationBlock.Syntax)) return true;
        }

        return false;
    }
}
