using ProfilingKit.TestProfiles;

namespace ProfilingKit.Testing.Platform;

/// <summary>
/// What the test project's build asked for: build/ProfilingKit.targets writes these into the test app's
/// runtimeconfig.json (RuntimeHostConfigurationOption items) when EnableDebugPprof is on, so the app
/// carries its own settings and no file of the user's source folder is touched.
/// </summary>
internal sealed class TestProfileSettings
{
    public const string Prefix = "ProfilingKit.TestProfile.";
    public const string TraceDirectoryKey = Prefix + "TraceDirectory";
    public const string OutputFileKey = Prefix + "OutputFile";
    public const string FocusKey = Prefix + "Focus";
    public const string EnvironmentVariablesKey = Prefix + "EnvironmentVariables";
    public const string BudgetsKey = Prefix + "Budgets";
    public const string BaselineKey = Prefix + "Baseline";
    public const string BaselineToleranceKey = Prefix + "BaselineTolerance";

    /// <summary>Between two DebugPprofBudget items in <see cref="BudgetsKey"/>'s value (ASCII's record separator: no name or pattern holds it).</summary>
    public const char BudgetSeparator = '\u001E';

    /// <summary>Between an item's Include, Functions, Test, MaxBytes, MaxObjects and Calls (ASCII's unit separator).</summary>
    public const char BudgetFieldSeparator = '\u001F';

    public TestProfileSettings(string traceDirectory, string outputFile, string focus, IReadOnlyList<KeyValuePair<string, string>> environmentVariables,
        IReadOnlyList<BudgetItem>? budgets = null, string baseline = "", string baselineTolerance = "")
    {
        TraceDirectory = traceDirectory;
        OutputFile = outputFile;
        Focus = focus;
        EnvironmentVariables = environmentVariables;
        Budgets = budgets ?? [];
        Baseline = baseline;
        BaselineTolerance = baselineTolerance;
    }

    /// <summary>DebugPprofTraceDirectory: where the test host writes its trace.</summary>
    public string TraceDirectory { get; }

    /// <summary>DebugPprofOutput: the profile to write.</summary>
    public string OutputFile { get; }

    /// <summary>DebugPprofFocus, or empty.</summary>
    public string Focus { get; }

    /// <summary>EventPipe's variables for the test host: the same items the VSTest path passes as run settings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables { get; }

    /// <summary>The DebugPprofBudget items, unparsed (<see cref="TestGates.Read"/> checks them).</summary>
    public IReadOnlyList<BudgetItem> Budgets { get; }

    /// <summary>DebugPprofBaseline as a full path, or empty.</summary>
    public string Baseline { get; }

    /// <summary>DebugPprofBaselineTolerance, or empty for the default.</summary>
    public string BaselineTolerance { get; }

    /// <summary>The settings of this test app, or null when its build did not ask for a profile.</summary>
    public static TestProfileSettings? FromAppContext() => From(key => AppContext.GetData(key) as string);

    /// <summary>Reads the settings through <paramref name="read"/>; null unless the trace directory, the output and the variables are all there.</summary>
    public static TestProfileSettings? From(Func<string, string?> read)
    {
        var traceDirectory = read(TraceDirectoryKey);
        var outputFile = read(OutputFileKey);
        var variables = ParseVariables(read(EnvironmentVariablesKey) ?? "");
        if (string.IsNullOrEmpty(traceDirectory) || string.IsNullOrEmpty(outputFile) || variables.Count == 0) return null;

        return new TestProfileSettings(traceDirectory, outputFile, read(FocusKey) ?? "", variables,
            ParseBudgets(read(BudgetsKey) ?? ""), read(BaselineKey) ?? "", read(BaselineToleranceKey) ?? "");
    }

    /// <summary>
    /// The items as the targets join them: <c>Include␟Functions␟Test␟MaxBytes␟MaxObjects␟Calls</c>, items separated by ␞. An item
    /// with fewer fields keeps them and gets empty ones after, so its MaxBytes is reported as not a size.
    /// </summary>
    private static List<BudgetItem> ParseBudgets(string text)
    {
        var items = new List<BudgetItem>();
        foreach (var record in text.Split(BudgetSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.Split(BudgetFieldSeparator);
            string Field(int index) => index < fields.Length ? fields[index] : "";
            items.Add(new BudgetItem(Field(0).Trim(), Field(1), Field(2), Field(3), Field(4), Field(5)));
        }

        return items;
    }

    /// <summary>
    /// <c>NAME=VALUE</c> pairs separated by <c>;</c>, as MSBuild joins the <c>_ProfilingKitEnvironment</c> items
    /// (values hold no <c>;</c>: VSTest's run settings have the same rule). The first <c>=</c> ends the name.
    /// </summary>
    private static List<KeyValuePair<string, string>> ParseVariables(string text)
    {
        var variables = new List<KeyValuePair<string, string>>();
        foreach (var pair in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) continue;
            variables.Add(new KeyValuePair<string, string>(pair.Substring(0, equals), pair.Substring(equals + 1)));
        }

        return variables;
    }
}
