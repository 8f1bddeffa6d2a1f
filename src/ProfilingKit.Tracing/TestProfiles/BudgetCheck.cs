using System.Globalization;

namespace ProfilingKit.TestProfiles;

/// <summary>What a budget's samples add up to in a run, and whether that is over it beyond sampling error.</summary>
internal sealed record BudgetResult(AllocationBudget Budget, SampledBytes Allocated, IReadOnlyList<(string Function, double Bytes)> TopFrames)
{
    /// <summary>Standard errors between the estimate and the budget before the run fails it: the estimate is over with about 97.7% confidence.</summary>
    public const double ConfidenceSigmas = 2;

    /// <summary>The budget's limits on bytes and on objects, whichever it sets, each against its estimate.</summary>
    public IReadOnlyList<BudgetLimit> Limits { get; } =
    [
        .. Budget.MaxBytes is { } bytes ? [new BudgetLimit(BudgetLimit.Unit.Bytes, bytes, Allocated.Bytes, Allocated.StandardError, Budget.Calls)] : Array.Empty<BudgetLimit>(),
        .. Budget.MaxObjects is { } objects ? [new BudgetLimit(BudgetLimit.Unit.Objects, objects, Allocated.Objects, Allocated.ObjectStandardError, Budget.Calls)] : Array.Empty<BudgetLimit>(),
    ];

    /// <summary>Over a limit beyond its sampling error: a run whose truth is within the budget fails about one time in forty-four at most.</summary>
    public bool Exceeded => Limits.Any(limit => limit.Exceeded);

    /// <summary>"61.2 MB ± 1.3 MB"; "180 ± 12 objects per call" (each limit's, joined).</summary>
    public string Estimate => string.Join("; ", Limits.Select(limit => limit.Estimate));

    /// <summary>"50.0 MB"; "200 objects per call (1,000 calls)": what the budget allows.</summary>
    public string Bound => string.Join("; ", Limits.Select(limit => limit.Bound));

    /// <summary>The estimate's share of the budget, "81%" (each limit's, joined).</summary>
    public string OfBudget => string.Join("; ", Limits.Select(limit => limit.OfBudget));

    /// <summary>The build's message: the budget, the estimate and its uncertainty, and where the bytes go.</summary>
    public string Message => Exceeded
        ? $"budget '{Budget.Name}' exceeded: {string.Join("; ", Limits.Where(limit => limit.Exceeded).Select(limit => $"{limit.AtMost}, estimated {limit.Estimate}{(limit.Calls == 1 && limit.Of == BudgetLimit.Unit.Bytes ? " allocated" : "")} ({limit.OfBudget} of the budget, 95% interval)"))}. Top allocating frames under it: {string.Join(", ", TopFrames.Select(frame => $"{frame.Function} {HotSpotSummaryFormat.FormatBytes(frame.Bytes)}"))}."
        : $"budget '{Budget.Name}': estimated {string.Join("; ", Limits.Select(limit => $"{limit.Estimate} of {limit.AtMost} ({limit.OfBudget})"))}.";
}

/// <summary>
/// One limit of a budget, on bytes or on objects, with the run's estimate of what it limits and that
/// estimate's standard error (of the whole run); with more than one call, both are compared per call.
/// </summary>
internal sealed record BudgetLimit(BudgetLimit.Unit Of, long Max, double Total, double StandardError, long Calls)
{
    public enum Unit
    {
        Bytes,
        Objects,
    }

    /// <summary>Over the limit beyond <see cref="BudgetResult.ConfidenceSigmas"/> standard errors.</summary>
    public bool Exceeded => (Total - (BudgetResult.ConfidenceSigmas * StandardError)) / Calls > Max;

    private string PerCall => Calls == 1 ? "" : " per call";

    /// <summary>"50.0 MB", "200 objects per call (1,000 calls)".</summary>
    public string Bound => $"{Format(Max)}{PerCall}" + (Calls == 1 ? "" : $" ({Calls.ToString("N0", CultureInfo.InvariantCulture)} calls)");

    public string AtMost => "at most " + Bound;

    public string Estimate => Of == Unit.Bytes
        ? $"{HotSpotSummaryFormat.FormatBytes(Total / Calls)} ± {HotSpotSummaryFormat.FormatBytes(BudgetResult.ConfidenceSigmas * StandardError / Calls)}{PerCall}"
        : $"{Count(Total / Calls)} ± {Count(BudgetResult.ConfidenceSigmas * StandardError / Calls)} objects{PerCall}";

    public string OfBudget => Max == 0 ? "∞" : $"{100 * Total / Calls / Max:0}%";

    private string Format(double value) => Of == Unit.Bytes ? HotSpotSummaryFormat.FormatBytes(value) : Count(value) + " objects";

    private static string Count(double value) => value.ToString(value < 10 ? "0.#" : "N0", CultureInfo.InvariantCulture);
}

/// <summary>The budgets of a test project against its run's profile.</summary>
internal static class BudgetCheck
{
    /// <summary>How many frames an exceeded budget's message names.</summary>
    public const int TopFrameCount = 3;

    public static List<BudgetResult> Evaluate(ProfileSamples profile, IEnumerable<AllocationBudget> budgets) =>
        budgets.Select(budget =>
        {
            var samples = profile.Samples.Where(sample =>
                (budget.Functions is null || sample.Functions.Any(budget.Functions.IsMatch))
                && (budget.Tests is null || (sample.Test is { } test && budget.Tests.IsMatch(test))))
                .ToList();
            var allocated = samples.Aggregate(default(SampledBytes), (sum, sample) => sum + sample.Bytes);
            var top = samples.GroupBy(sample => sample.Leaf, StringComparer.Ordinal)
                .Select(group => (Function: group.Key, Bytes: group.Sum(sample => sample.Bytes.Bytes)))
                .OrderByDescending(frame => frame.Bytes)
                .Take(TopFrameCount)
                .ToList();
            return new BudgetResult(budget, allocated, top);
        }).ToList();
}
