using System.Text;
using ProfilingKit.Pprof;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// What a test project asks of its run's allocations: budgets (<c>DebugPprofBudget</c> items), a baseline
/// profile to compare with (<c>DebugPprofBaseline</c>, within <c>DebugPprofBaselineTolerance</c>), and where
/// the Markdown summary goes (<c>$GITHUB_STEP_SUMMARY</c> when set, else beside the profile).
/// </summary>
internal sealed record TestGates(IReadOnlyList<AllocationBudget> Budgets, string? BaselinePath, double Tolerance, string? StepSummaryPath)
{
    public static TestGates None { get; } = new([], null, BaselineComparison.DefaultTolerance, null);

    /// <summary>
    /// The gates as the build declares them, for the MSBuild task and the Microsoft.Testing.Platform extension
    /// alike: the <c>DebugPprofBudget</c> items, <c>DebugPprofBaseline</c> (empty for none) and
    /// <c>DebugPprofBaselineTolerance</c> (empty for the default). Null when an item or the tolerance cannot be
    /// read, with one message per problem in <paramref name="errors"/> (each a PKB022): a gate that cannot be
    /// checked must not pass.
    /// </summary>
    public static TestGates? Read(IEnumerable<BudgetItem> budgetItems, string baseline, string tolerance, string? stepSummaryPath, List<string> errors)
    {
        var budgets = new List<AllocationBudget>();
        foreach (var item in budgetItems)
        {
            try
            {
                budgets.Add(AllocationBudget.Parse(item.Name, item.Functions, item.Test, item.MaxBytes, item.MaxObjects, item.Calls));
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message + " (a DebugPprofBudget item; docs/test-profiles.md#budgets-and-baselines)");
            }
        }

        var fraction = BaselineComparison.DefaultTolerance;
        if (tolerance.Length > 0 && !TryParsePercent(tolerance, out fraction))
        {
            errors.Add($"DebugPprofBaselineTolerance '{tolerance}' is not a percentage such as 10% or 25%.");
        }

        return errors.Count > 0 ? null : new TestGates(budgets, baseline.Length == 0 ? null : baseline, fraction, string.IsNullOrEmpty(stepSummaryPath) ? null : stepSummaryPath);
    }

    private static bool TryParsePercent(string text, out double fraction)
    {
        fraction = 0;
        var number = text.Trim().TrimEnd('%');
        if (!double.TryParse(number, System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var percent)) return false;
        fraction = percent / 100;
        return true;
    }
}

/// <summary>One <c>DebugPprofBudget</c> item as the build gives it: its Include and its metadata, unparsed.</summary>
internal readonly record struct BudgetItem(string Name, string Functions, string Test, string MaxBytes, string MaxObjects = "", string Calls = "");

/// <summary>What the gates found in one run: each budget's result, what grew against the baseline, and the failures among them.</summary>
internal sealed class GateOutcome
{
    private GateOutcome(IReadOnlyList<BudgetResult> budgets, string? baselinePath, IReadOnlyList<Growth> growths)
    {
        Budgets = budgets;
        BaselinePath = baselinePath;
        Growths = growths;
    }

    public IReadOnlyList<BudgetResult> Budgets { get; }

    public string? BaselinePath { get; }

    public IReadOnlyList<Growth> Growths { get; }

    /// <summary>One message per exceeded budget, then one per growth beyond the baseline: each fails the run.</summary>
    public IEnumerable<(string Code, string Message)> Failures =>
        Budgets.Where(budget => budget.Exceeded).Select(budget => (TraceProblemCodes.BudgetExceeded, budget.Message))
            .Concat(Growths.Select(growth => (TraceProblemCodes.BaselineGrowth, growth.Message + $" Baseline: {BaselinePath}.")));

    /// <summary>The lines for a run that passes its gates: how close each budget is, and that the baseline held.</summary>
    public IEnumerable<string> Lines =>
        Budgets.Where(budget => !budget.Exceeded).Select(budget => "ProfilingKit: " + budget.Message)
            .Concat(BaselinePath is not null && Growths.Count == 0 ? [$"ProfilingKit: nothing grew beyond the baseline {BaselinePath} (tolerance and sampling error)."] : []);

    /// <summary>Evaluates <paramref name="gates"/> on <paramref name="profile"/>; a baseline that cannot be read is a <see cref="TraceProblem"/>.</summary>
    public static GateOutcome Evaluate(ProfileSamples profile, TestGates gates)
    {
        var budgets = BudgetCheck.Evaluate(profile, gates.Budgets);
        if (gates.BaselinePath is null) return new GateOutcome(budgets, null, []);

        var baselinePath = Path.GetFullPath(gates.BaselinePath);
        ProfileSamples baseline;
        try
        {
            using var stream = File.OpenRead(baselinePath);
            baseline = new ProfileSamples(ProfileSerializer.Read(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Google.Protobuf.InvalidProtocolBufferException or InvalidDataException)
        {
            throw new TraceProblem(TraceProblemCodes.BadBaseline, $"DebugPprofBaseline {baselinePath} could not be read as a pprof allocation profile ({e.GetType().Name}: {e.Message}); nothing was compared.", e);
        }
        catch (ArgumentException e)
        {
            throw new TraceProblem(TraceProblemCodes.BadBaseline, $"DebugPprofBaseline {baselinePath} is not an allocation profile ({e.Message}); nothing was compared.", e);
        }

        return new GateOutcome(budgets, baselinePath, BaselineComparison.Compare(profile, baseline, gates.Tolerance));
    }

    /// <summary>
    /// <paramref name="name"/> as code in a table cell of GitHub's Markdown: a <c>|</c> would end the cell even
    /// inside a code span (local functions' names hold one, <c>&lt;Run&gt;g__Local|0_0</c>), and a backtick
    /// would end a one-backtick span (generic types', <c>List`1</c>), so those get two.
    /// </summary>
    public static string Code(string name)
    {
        var escaped = name.Replace("|", "\\|", StringComparison.Ordinal);
        return name.Contains('`', StringComparison.Ordinal) ? $"`` {escaped} ``" : $"`{escaped}`";
    }

    /// <summary>The Markdown summary of the run: its total and top allocators, the budgets, and the comparison with the baseline.</summary>
    public string Markdown(string project, ProfileSamples profile, string profilePath)
    {
        var text = new StringBuilder();
        text.Append("## ProfilingKit: allocations of ").Append(project).Append("\n\n");
        text.Append("Estimated **").Append(HotSpotSummaryFormat.FormatBytes(profile.Total.Bytes)).Append("** allocated by the test run; profile `").Append(profilePath).Append("`.\n\n");

        AppendTop("top allocators (flat)", sample => sample.Leaf);
        AppendTop("top tests", sample => sample.Test);

        if (Budgets.Count > 0)
        {
            text.Append("| budget | at most | estimated (95%) | of budget | |\n|---|---:|---:|---:|---|\n");
            foreach (var budget in Budgets)
            {
                text.Append("| ").Append(Code(budget.Budget.Name)).Append(" | ").Append(budget.Bound).Append(" | ").Append(budget.Estimate).Append(" | ").Append(budget.OfBudget)
                    .Append(budget.Exceeded ? " | **exceeded** |\n" : " | ok |\n");
            }

            text.Append('\n');
        }

        if (BaselinePath is not null)
        {
            text.Append("Compared with the baseline `").Append(BaselinePath).Append("`: ");
            if (Growths.Count == 0)
            {
                text.Append("nothing grew beyond the tolerance and the sampling error.\n");
            }
            else
            {
                text.Append(Growths.Count).Append(" grew.\n\n| what | baseline | now | change |\n|---|---:|---:|---:|\n");
                foreach (var growth in Growths)
                {
                    text.Append("| ").Append(growth.Kind).Append(' ').Append(Code(growth.Name)).Append(" | ").Append(HotSpotSummaryFormat.FormatBytes(growth.Baseline.Bytes)).Append(" | ")
                        .Append(HotSpotSummaryFormat.FormatBytes(growth.Now.Bytes)).Append(" | +").Append(HotSpotSummaryFormat.FormatBytes(growth.Delta)).Append(" |\n");
                }
            }
        }

        return text.ToString();

        // The heaviest keys (functions, tests) with their bytes and share of the run; nothing when no sample has one.
        void AppendTop(string title, Func<ProfileSample, string?> key)
        {
            var top = profile.By(key).OrderByDescending(pair => pair.Value.Bytes).Take(TestRunProfile.TopFunctionCount).ToList();
            if (top.Count == 0) return;

            text.Append("| ").Append(title).Append(" | alloc_space | share |\n|---|---:|---:|\n");
            foreach (var (name, bytes) in top)
            {
                text.Append("| ").Append(Code(name)).Append(" | ").Append(HotSpotSummaryFormat.FormatBytes(bytes.Bytes)).Append(" | ")
                    .Append(HotSpotSummaryFormat.FormatShare(bytes.Bytes / Math.Max(1, profile.Total.Bytes))).Append(" |\n");
            }

            text.Append('\n');
        }
    }
}
