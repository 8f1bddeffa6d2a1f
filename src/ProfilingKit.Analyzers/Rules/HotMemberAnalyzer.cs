using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Runs the rules that look into hot members (PK1001, PK1003-PK1009) as one analyzer: one block start
/// per member for all of them (<see cref="HotCodeGate"/>). csc's ReportAnalyzer lists their time under
/// this name.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class HotMemberAnalyzer : DiagnosticAnalyzer
{
    internal static readonly ImmutableArray<HotMemberRule> Rules =
    [
        new StringConcatenationInLoopAnalyzer(),
        new BoxingInHotPlaceAnalyzer(),
        new DelegateAllocationInHotPlaceAnalyzer(),
        new LinqInHotPlaceAnalyzer(),
        new ParamsArrayInHotPlaceAnalyzer(),
        new CollectionPerIterationAnalyzer(),
        new CopyPerIterationAnalyzer(),
        new InterfaceEnumerationInHotPlaceAnalyzer(),
    ];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = Rules.SelectMany(rule => rule.SupportedDiagnostics).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(MemberRules.GeneratedCode);
        context.EnableConcurrentExecution();
        HotCodeGate.Register(context, Rules);
    }
}
