using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>Which members an allocation rule looks into.</summary>
internal enum HotCodeScope
{
    /// <summary>Members with a loop (the rule reports only inside loops).</summary>
    Loops,

    /// <summary>Members with a loop, members in [HotPath] code, and every member when the project reports outside hot places.</summary>
    LoopsAndHotPathMembers,
}

/// <summary>
/// Registers a rule's operation actions only for members that can hold hot code, so cold members
/// (most of a code base: no loop, no [HotPath]) cost one syntax scan and no callbacks at all.
/// </summary>
internal static class HotCodeGate
{
    public static void RegisterHotOperationAction(this AnalysisContext context, HotCodeScope scope, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        context.RegisterOperationBlockStartAction(block => RegisterIfHot(block, scope, action, kinds));

    public static void RegisterHotOperationAction(this CompilationStartAnalysisContext context, HotCodeScope scope, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        context.RegisterOperationBlockStartAction(block => RegisterIfHot(block, scope, action, kinds));

    private static void RegisterIfHot(OperationBlockStartAnalysisContext block, HotCodeScope scope, Action<OperationAnalysisContext> action, OperationKind[] kinds)
    {
        if (MayHoldHotCode(block.OwningSymbol, block.OperationBlocks, block.Options, scope)) block.RegisterOperationAction(action, kinds);
    }

    private static bool MayHoldHotCode(ISymbol owningSymbol, ImmutableArray<IOperation> operationBlocks, AnalyzerOptions options, HotCodeScope scope)
    {
        if (operationBlocks.IsEmpty) return false;

        if (scope == HotCodeScope.LoopsAndHotPathMembers
            && (HotPlaces.HotPathMember(owningSymbol) is not null
                || HotPlaceReporter.ReportsOutsideHotPlaces(options, operationBlocks[0].Syntax.SyntaxTree)))
        {
            return true;
        }

        foreach (var operationBlock in operationBlocks)
        {
            foreach (var node in operationBlock.Syntax.DescendantNodesAndSelf())
            {
                if (node is ForStatementSyntax or ForEachStatementSyntax or ForEachVariableStatementSyntax or WhileStatementSyntax or DoStatementSyntax) return true;
            }
        }

        return false;
    }
}
