namespace ProfilingKit.Http;

/// <summary>The endpoint's settings once the options and the environment have been read, at start-up only.</summary>
internal sealed record PprofEndpointSettings(int MaxProfileSeconds, PprofAccessToken? Token, bool ExposeCommandLine, TimeSpan CpuSlice)
{
    public const string CpuSamplingVariable = "PROFILINGKIT_PPROF_CPU_SAMPLING";
    public const string MaxSecondsVariable = "PROFILINGKIT_PPROF_MAX_SECONDS";
    public const string TokenVariable = "PROFILINGKIT_PPROF_TOKEN";
    public const string CommandLineVariable = "PROFILINGKIT_PPROF_CMDLINE";

    public static PprofEndpointSettings Resolve(DebugPprofOptions options)
    {
        var maxSeconds = SettingValues.WholeNumber(
            MaxSecondsVariable, nameof(DebugPprofOptions.MaxProfileSeconds), options.MaxProfileSeconds, DebugPprofOptions.DefaultMaxProfileSeconds, 1, int.MaxValue, "a positive whole number of seconds");

        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrEmpty(token)) token = options.Token;

        var commandLine = Environment.GetEnvironmentVariable(CommandLineVariable);
        var exposeCommandLine = string.IsNullOrWhiteSpace(commandLine) ? options.ExposeCommandLine : commandLine.Trim() is "1" or "true";

        var cpuPercent = SettingValues.WholeNumber(
            CpuSamplingVariable, nameof(DebugPprofOptions.CpuSamplingPercent), options.CpuSamplingPercent, DebugPprofOptions.DefaultCpuSamplingPercent, 1, 100, "a percentage from 1 to 100", unit: "%");

        return new PprofEndpointSettings(
            maxSeconds,
            string.IsNullOrEmpty(token) ? null : new PprofAccessToken(token),
            exposeCommandLine,
            Cpu.ThreadTimeProfiler.SlicePeriod * (cpuPercent / 100.0));
    }
}
