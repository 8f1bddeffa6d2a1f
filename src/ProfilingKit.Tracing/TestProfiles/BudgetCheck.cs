namespace ProfilingKit.TestProfiles;

/// <summary>What a budget's samples add up to in a run, and whether that is over it beyond sampling error.</summary>
internal sealed record BudgetResult(AllocationBudget Budget, SampledBytes Allocated, IReadOnlyList<(string Function, double Bytes)> TopFrames)
{
    /// <summary>Standard errors between the estimate and the budget before the run fails it: the estimate is over with about 97.7% confidence.</summary>
    public const double ConfidenceSigmas = 2;

    /// <summary>Over the budget beyond its sampling error: a run whose truth is within the budget fails about one time in forty-four at most.</summary>
    public bool Exceeded => Allocated.Bytes - (ConfidenceSigmas * Allocated.StandardError) > Budget.MaxBytes;

    /// <summary>"61.2 MB ± 1.3 MB".</summary>
    public string Estimate => $"{HotSpotSummaryFormat.FormatBytes(Allocated.Bytes)} ± {HotSpotSummaryFormat.FormatBytes(ConfidenceSigmas * Allocated.StandardError)}";

    /// <summary>The estimate's share of the budget, "81%".</summary>
    public string OfBudget => Budget.MaxBytes == 0 ? "∞" : $"{100 * Allocated.Bytes / Budget.MaxBytes:0}%";

    /// <summary>The build's message: the budget, the estimate and its uncertainty, and where the bytes go.</summary>
    public string Message => Exceeded
        ? $"budget '{Budget.Name}' exceeded: at most {HotSpotSummaryFormat.FormatBytes(Budget.MaxBytes)}, estimated {Estimate} allocated ({OfBudget} of the budget, 95% interval). Top allocating frames under it: {string.Join(", ", TopFrames.Select(frame => $"{frame.Function} {HotSpotSummaryFormat.FormatBytes(frame.Bytes)}"))}."
        : $"budget '{Budget.Name}': estimated {Estimate} of at most {HotSpotSummaryFormat.FormatBytes(Budget.MaxBytes)} ({OfBudget}).";
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
