using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Probes;

/// <summary>
/// The shape every do-nothing probe shares. Warning severity: csc skips an analyzer whose
/// diagnostics are all hidden, which would time nothing.
/// </summary>
public abstract class Probe(string id, string message) : DiagnosticAnalyzer
{
    protected DiagnosticDescriptor Rule { get; } = new(id, "probe", message, "Probe", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        Register(context);
    }

    protected abstract void Register(AnalysisContext context);
}

/// <summary>An operation-block start on every member that registers a callback it never needs: what one gated rule costs before it looks at anything.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyBlockStartPerMember() : Probe("PROBE01", "never reported")
{
    protected override void Register(AnalysisContext context) =>
        context.RegisterOperationBlockStartAction(block => block.RegisterOperationAction(_ => { }, OperationKind.ObjectCreation));
}

/// <summary>An empty callback on every conversion and invocation of the compilation: the driver's cost per operation callback.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyOperationCallbacks() : Probe("PROBE02", "never reported")
{
    protected override void Register(AnalysisContext context) =>
        context.RegisterOperationAction(_ => { }, OperationKind.Conversion, OperationKind.Invocation);
}

/// <summary>A warning with a fixed message on every loop keyword, found from syntax: what reporting alone costs, per diagnostic.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WarningOnEveryLoop() : Probe("PROBE03", "a loop")
{
    protected override void Register(AnalysisContext context) => context.RegisterSyntaxNodeAction(
        node => node.ReportDiagnostic(Diagnostic.Create(Rule, node.Node.GetFirstToken().GetLocation())),
        SyntaxKind.ForStatement, SyntaxKind.ForEachStatement, SyntaxKind.ForEachVariableStatement, SyntaxKind.WhileStatement, SyntaxKind.DoStatement);
}

// The two below are for `AnalyzerBench measure` (in process) only: without [DiagnosticAnalyzer] a build
// does not load them (RS1001), and the first registers nothing on purpose (RS1012).
#pragma warning disable RS1001, RS1012

/// <summary>Makes the driver build every member's operation tree, as any operation-based package does.</summary>
public sealed class OperationTreesEverywhere() : Probe("PROBE04", "never reported")
{
    protected override void Register(AnalysisContext context) => context.RegisterOperationBlockStartAction(_ => { });
}

/// <summary>
/// Asks for operation trees only where loops are, starting from their syntax: what a syntax-first
/// design of the rules would cost the driver.
/// </summary>
public sealed class OperationTreesAtLoops() : Probe("PROBE05", "never reported")
{
    protected override void Register(AnalysisContext context) => context.RegisterSyntaxNodeAction(
        node => node.SemanticModel.GetOperation(node.Node, node.CancellationToken),
        SyntaxKind.ForStatement, SyntaxKind.ForEachStatement, SyntaxKind.ForEachVariableStatement, SyntaxKind.WhileStatement, SyntaxKind.DoStatement);
}
#pragma warning restore RS1001, RS1012
