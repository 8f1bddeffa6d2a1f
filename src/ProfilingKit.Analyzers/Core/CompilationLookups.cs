using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ProfilingKit.Analyzers;

/// <summary>What a rule looks up in a compilation (its types, and whether it applies at all), done on first use.</summary>
internal static class CompilationLookups
{
    /// <summary>
    /// Runs <paramref name="lookUp"/> the first time a callback asks for its value, not at compilation
    /// start. In a build the analyzers start with the compiler, before it has bound the compilation's
    /// references; the first type lookup does that binding or waits for it, and ReportAnalyzer charges
    /// the whole of it to the rule that asked (a fifth of the package's time in a build of
    /// bench/analyzers; docs/benchmarks.md). By the first operation callback the compiler has bound
    /// method bodies, so the references are ready. Two threads may both look up; both get the same
    /// symbols.
    /// </summary>
    public static Lazy<T> OnFirstUse<T>(Compilation compilation, Func<Compilation, T> lookUp) =>
        new(() => lookUp(compilation), LazyThreadSafetyMode.PublicationOnly);
}
