using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers;

/// <summary>
/// A rule that looks into hot members (PK1001, PK1003-PK1009). Not an analyzer of its own: the
/// package runs all of them from one analyzer, <see cref="HotMemberAnalyzer"/>, so the driver calls
/// one block start per member, not one per rule.
/// </summary>
internal abstract class HotMemberRule
{
    /// <summary>The diagnostics the rule reports; the host reports the union of its rules'.</summary>
    public abstract ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    /// <summary>Which members the rule looks into.</summary>
    public abstract HotCodeScope Scope { get; }

    /// <summary>The operations its callback is for.</summary>
    public abstract ImmutableArray<OperationKind> Kinds { get; }

    /// <summary>The rule's callback for one compilation, or null when nothing in it can be found.</summary>
    public abstract Action<OperationAnalysisContext>? Start(Compilation compilation);
}
