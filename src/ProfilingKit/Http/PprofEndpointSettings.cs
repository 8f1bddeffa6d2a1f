using System.Globalization;
using ProfilingKit.Diagnostics;

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
        var maxSeconds = options.MaxProfileSeconds;
        var maxText = Environment.GetEnvironmentVariable(MaxSecondsVariable);
        if (!string.IsNullOrWhiteSpace(maxText))
        {
            if (int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment > 0)
            {
                maxSeconds = fromEnvironment;
            }
            else
            {
                ProfilingKitLog.Error($"{MaxSecondsVariable}='{maxText}' is not a positive whole number of seconds; using {maxSeconds}.");
            }
        }

        if (maxSeconds <= 0)
        {
            ProfilingKitLog.Error($"MaxProfileSeconds={maxSeconds} is not positive; using {DebugPprofOptions.DefaultMaxProfileSeconds}.");
            maxSeconds = DebugPprofOptions.DefaultMaxProfileSeconds;
        }

        var token = Environment.GetEnvironmentVariable(TokenVariable);
        if (string.IsNullOrEmpty(token)) token = options.Token;

        var commandLine = Environment.GetEnvironmentVariable(CommandLineVariable);
        var exposeCommandLine = string.IsNullOrWhiteSpace(commandLine) ? options.ExposeCommandLine : commandLine.Trim() is "1" or "true";

        var cpuPercent = options.CpuSamplingPercent;
        var cpuText = Environment.GetEnvironmentVariable(CpuSamplingVariable);
        if (!string.IsNullOrWhiteSpace(cpuText))
        {
            if (int.TryParse(cpuText.Trim().TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment is >= 1 and <= 100)
            {
                cpuPercent = fromEnvironment;
            }
            else
            {
                ProfilingKitLog.Error($"{CpuSamplingVariable}='{cpuText}' is not a percentage from 1 to 100; using {cpuPercent}.");
            }
        }

        if (cpuPercent is < 1 or > 100)
        {
            ProfilingKitLog.Error($"CpuSamplingPercent={cpuPercent} is not from 1 to 100; using {DebugPprofOptions.DefaultCpuSamplingPercent}.");
            cpuPercent = DebugPprofOptions.DefaultCpuSamplingPercent;
        }

        return new PprofEndpointSettings(
            maxSeconds,
            string.IsNullOrEmpty(token) ? null : new PprofAccessToken(token),
            exposeCommandLine,
            Cpu.ThreadTimeProfiler.SlicePeriod * (cpuPercent / 100.0));
    }
}
