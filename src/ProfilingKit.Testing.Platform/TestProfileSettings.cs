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

    public TestProfileSettings(string traceDirectory, string outputFile, string focus, IReadOnlyList<KeyValuePair<string, string>> environmentVariables)
    {
        TraceDirectory = traceDirectory;
        OutputFile = outputFile;
        Focus = focus;
        EnvironmentVariables = environmentVariables;
    }

    /// <summary>DebugPprofTraceDirectory: where the test host writes its trace.</summary>
    public string TraceDirectory { get; }

    /// <summary>DebugPprofOutput: the profile to write.</summary>
    public string OutputFile { get; }

    /// <summary>DebugPprofFocus, or empty.</summary>
    public string Focus { get; }

    /// <summary>EventPipe's variables for the test host: the same items the VSTest path passes as run settings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EnvironmentVariables { get; }

    /// <summary>The settings of this test app, or null when its build did not ask for a profile.</summary>
    public static TestProfileSettings? FromAppContext() => From(key => AppContext.GetData(key) as string);

    /// <summary>Reads the settings through <paramref name="read"/>; null unless the trace directory, the output and the variables are all there.</summary>
    public static TestProfileSettings? From(Func<string, string?> read)
    {
        var traceDirectory = read(TraceDirectoryKey);
        var outputFile = read(OutputFileKey);
        var variables = ParseVariables(read(EnvironmentVariablesKey) ?? "");
        if (string.IsNullOrEmpty(traceDirectory) || string.IsNullOrEmpty(outputFile) || variables.Count == 0) return null;

        return new TestProfileSettings(traceDirectory, outputFile, read(FocusKey) ?? "", variables);
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
