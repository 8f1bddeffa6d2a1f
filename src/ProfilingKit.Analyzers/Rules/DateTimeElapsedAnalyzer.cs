using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK2002: elapsed time measured on the wall clock: <c>DateTime.UtcNow - start</c> (or <c>end - start</c>,
/// or <c>.Subtract</c>) where the operands are DateTime.Now/UtcNow readings, directly or through locals
/// that only hold such readings. The wall clock is adjusted (NTP, manual changes, and for Now the
/// daylight-saving switch), so the difference can be wrong or negative; Stopwatch is monotonic.
/// Plain timestamps (DateTime.UtcNow stored, logged or compared to a stored date) are not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DateTimeElapsedAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.DateTimeElapsed,
        "Elapsed time measured with DateTime.Now/UtcNow",
        "Elapsed time is measured on the wall clock, which can jump (clock sync, daylight saving); measure it with Stopwatch.GetTimestamp() and Stopwatch.GetElapsedTime()",
        RuleCategories.Diagnostics,
        DiagnosticSeverity.Warning,
        "DateTime.Now and DateTime.UtcNow follow the system clock, which is corrected by time synchronization and by hand, and DateTime.Now also jumps an hour at daylight-saving changes. A difference of two readings is not a duration: it can be off by seconds or hours, or negative. Stopwatch reads a monotonic high-resolution counter.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(MemberRules.GeneratedCode);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeSubtraction, OperationKind.Binary, OperationKind.Invocation);
    }

    private static void AnalyzeSubtraction(OperationAnalysisContext context)
    {
        if (!WallClockReads.TryGetClockSubtraction(context.Operation, out var minuend, out var subtrahend)) return;

        // Each side is a reading or a local; not both readings (nothing was remembered). The cheap
        // checks go first: most DateTime subtractions involve a parameter, a field or a property.
        var minuendIsRead = WallClockReads.IsClockRead(minuend);
        var subtrahendIsRead = WallClockReads.IsClockRead(subtrahend);
        if (!(minuendIsRead || minuend is ILocalReferenceOperation) || !(subtrahendIsRead || subtrahend is ILocalReferenceOperation)) return;
        if (minuendIsRead && subtrahendIsRead) return;
        if (!minuendIsRead && !WallClockReads.IsClockLocal(minuend)) return;
        if (!subtrahendIsRead && !WallClockReads.IsClockLocal(subtrahend)) return;

        context.ReportDiagnostic(Diagnostic.Create(Rule, context.Operation.Syntax.GetLocation()));
    }
}
