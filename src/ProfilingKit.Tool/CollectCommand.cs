using System.Globalization;
using System.Net;
using System.Text;
using ProfilingKit.Cpu;
using ProfilingKit.Http;

namespace ProfilingKit.Tool;

/// <summary>
/// <c>dotnet pprof collect -p PID PROFILE [-seconds N] [-o FILE]</c>: one profile of a running .NET
/// process that never referenced ProfilingKit. It is one request to the endpoint's own dispatcher
/// over a profiler attached to the target (<see cref="AttachedProfiler"/>), so the profile is the one
/// <c>/debug/pprof/PROFILE?seconds=N</c> would serve in the app itself: the same sample types,
/// comments and names.
/// </summary>
internal static class CollectCommand
{
    /// <summary>Go's default window for profile and trace; collect uses it for every windowed profile.</summary>
    public const int DefaultSeconds = 30;

    /// <summary>Each profile: whether it needs the always-on session, and whether it covers a window (else: now).</summary>
    private static readonly IReadOnlyDictionary<string, (bool Sampling, bool Window)> Profiles = new Dictionary<string, (bool, bool)>(StringComparer.Ordinal)
    {
        ["allocs"] = (true, true),
        ["block"] = (true, true),
        ["mutex"] = (true, true),
        ["heap"] = (true, false),
        ["goroutine"] = (false, false),
        ["threadcreate"] = (true, false),
        ["profile"] = (false, true),
        ["wall"] = (false, true),
        ["trace"] = (false, true),
    };

    public static int Run(Tool tool, ToolOptions options)
    {
        var name = options.CommandArgument!;
        if (!Profiles.TryGetValue(name, out var kind))
        {
            throw new ToolException($"collect does not know the profile {name}; it collects {string.Join(", ", Profiles.Keys)}");
        }

        if (options.Sources.Count > 0) throw new ToolException($"collect takes one profile name, then flags; \"{options.Sources[0]}\" is neither");

        using var target = AttachTarget.Open(options);
        if (name == "allocs") target.RequireAllocationSampling("allocs");

        var windowed = kind.Window || options.Seconds is not null; // heap -seconds N: the delta of its alloc_* columns, as in Go
        var seconds = options.Seconds ?? DefaultSeconds;
        var output = options.Output ?? $"{name}-{target.Process.ProcessId.ToString(CultureInfo.InvariantCulture)}{(name == "trace" ? ".nettrace" : ".pb.gz")}";

        using var profiler = new AttachedProfiler(tool, target);
        if (kind.Sampling) profiler.StartSampling();

        // The person asked for this window: no endpoint limit cuts it, and CPU sampling runs throughout.
        var settings = new PprofEndpointSettings(MaxProfileSeconds: int.MaxValue, Token: null, ExposeCommandLine: false, CpuSlice: ThreadTimeProfiler.SlicePeriod);
        using var dispatcher = profiler.Dispatcher(settings);
        tool.Status.WriteLine(windowed
            ? $"collecting {name} of {target.Description} for {seconds} s (Ctrl+C ends it early)"
            : $"collecting {name} of {target.Description}");

        var query = windowed ? "seconds=" + seconds.ToString(CultureInfo.InvariantCulture) : "";
        var request = new PprofRequest("GET", "", PprofDispatcher.BasePath + "/" + name, query, _ => null, body: null, tool.Stop);
        using var reply = dispatcher.Serve(request);
        if (reply.Status != HttpStatusCode.OK)
        {
            throw new ToolException($"collect {name} of {target.Description} failed: {Encoding.UTF8.GetString(reply.Body).Trim()}");
        }

        long written;
        try
        {
            using var file = File.Create(output);
            if (reply.IsStreamed) reply.WriteStreamedBody(file);
            else file.Write(reply.Body);
            written = file.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"cannot write {output}: {e.Message}", e);
        }

        tool.Status.WriteLine($"wrote {output} ({written.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
        return 0;
    }
}
