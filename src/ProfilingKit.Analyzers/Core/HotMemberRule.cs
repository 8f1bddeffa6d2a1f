using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// A rule that looks into hot members (PK1001, PK1003-PK1009). The package runs all of them from one
/// analyzer, <see cref="HotMemberAnalyzer"/>, so the driver calls one block start per member, not one
/// per rule; on its own (as the tests run it) a rule is an analyzer like any other, registered the
/// same way.
/// </summary>
public abstract class HotMemberRule : DiagnosticAnalyzer
{
    /// <summary>Why the rules have no <see cref="DiagnosticAnalyzerAttribute"/> of their own (RS1001).</summary>
    internal const string RunByHost = "HotMemberAnalyzer runs this rule; exported as well, it would report twice.";

    /// <summary>Which members the rule looks into.</summary>
    internal abstract HotCodeScope Scope { get; }

    /// <summary>The operations its callback is for.</summary>
    internal abstract ImmutableArray<OperationKind> Kinds { get; }

    /// <summary>The rule's callback for one compilation, or null when nothing in it can be found.</summary>
    internal abstract Action<OperationAnalysisContext>? Start(Compilation compilation);

    public sealed override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(MemberRules.GeneratedCode);
        context.EnableConcurrentExecution();
        HotCodeGate.Register(context, ImmutableArray.Create(this));
    }
}
