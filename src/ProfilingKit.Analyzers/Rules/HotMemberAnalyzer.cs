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
    internal static readonly ImmutableArray<HotMemberRule> PackageRules =
    [
        new StringConcatenationInLoopRule(),
        new BoxingInHotPlaceRule(),
        new DelegateAllocationInHotPlaceRule(),
        new LinqInHotPlaceRule(),
        new ParamsArrayInHotPlaceRule(),
        new CollectionPerIterationRule(),
        new CopyPerIterationRule(),
        new InterfaceEnumerationInHotPlaceRule(),
    ];

    public HotMemberAnalyzer()
        : this(PackageRules)
    {
    }

    /// <summary>Hosts other rules than the package's: one rule alone, as the tests run each.</summary>
    internal HotMemberAnalyzer(ImmutableArray<HotMemberRule> rules)
    {
        Rules = rules;
        SupportedDiagnostics = rules.SelectMany(rule => rule.SupportedDiagnostics).ToImmutableArray();
    }

    internal ImmutableArray<HotMemberRule> Rules { get; }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(MemberRules.GeneratedCode);
        context.EnableConcurrentExecution();
        HotCodeGate.Register(context, Rules);
    }
}
