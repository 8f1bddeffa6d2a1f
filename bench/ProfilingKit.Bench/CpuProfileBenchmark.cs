using System.Globalization;
using System.Net.Http;
using System.Runtime.InteropServices;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Testing;

namespace ProfilingKit.Bench;

/// <summary>
/// The CPU profile's cost and accuracy, in one process that serves its own endpoint: a CPU-bound
/// thread alternates Seventy and Thirty (a 70/30 split by construction, measured exactly), and
/// rounds alternate a plain window with a window during which /debug/pprof/profile runs. The ratio
/// of throughputs is the cost; the profile's Seventy/(Seventy+Thirty) against the measured split is
/// the accuracy.
/// </summary>
internal static class CpuProfileBenchmark
{
    private const double AccuracyTargetPoints = 5;

    public static int Run(string[] args)
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var quick = args is ["--quick"];
        var rounds = quick ? 2 : 5;
        var seconds = quick ? 2 : 6;

        var port = FreePort.Next();
        if (!DebugPprof.Start(new DebugPprofOptions { Address = $"127.0.0.1:{port}" }) || !DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30)))
        {
            Console.Error.WriteLine("the endpoint or sampling did not start");
            return 1;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds * 3 + 60) };
        using var workload = new CpuSplitWorkload();
        Report.Line($"## CPU profile: cost and accuracy ({(quick ? "quick" : "full")} run, {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz})");
        Report.Line();
        Report.Line($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} processors; " +
                    $"{rounds} rounds of a {seconds} s plain window then a {seconds} s profile?seconds={seconds} window, after a 3 s warm-up and one discarded profile.");
        Report.Line();

        Thread.Sleep(TimeSpan.FromSeconds(3)); // tiered compilation of the workload settles
        Fetch(http, port, 1); // the first profile pays for a rundown of the methods compiled so far

        Report.Line("| round | chunks/s plain | chunks/s profiled | profiled / plain | chunks per CPU-s, profiled / plain | app thread on CPU plain / profiled | true Seventy share | reported | error (points) |");
        Report.Line("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var ratios = new List<double>();
        var cpuRatios = new List<double>();
        var errors = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var plain = workload.Measure(() => Thread.Sleep(TimeSpan.FromSeconds(seconds)));
            Profile? profile = null;
            var profiled = workload.Measure(() => profile = Fetch(http, port, seconds));
            var reported = ReportedSeventyShare(profile!);
            var ratio = profiled.ChunksPerSecond / plain.ChunksPerSecond;
            var cpuRatio = profiled.ChunksPerCpuSecond / plain.ChunksPerCpuSecond;
            var error = (reported - profiled.TrueSeventyShare) * 100;
            ratios.Add(ratio);
            cpuRatios.Add(cpuRatio);
            errors.Add(Math.Abs(error));
            Report.Line($"| {round} | {plain.ChunksPerSecond:F0} | {profiled.ChunksPerSecond:F0} | {ratio:F3} | {cpuRatio:F3} | {plain.AppThreadOnCpu:P0} / {profiled.AppThreadOnCpu:P0} | " +
                        $"{profiled.TrueSeventyShare:P1} | {reported:P1} | {error:+0.0;-0.0} |");
        }

        var medianRatio = Statistics.Median(ratios);
        var worstError = errors.Max();
        Report.Line();
        Report.Line($"- throughput during a CPU profile / without: median {medianRatio:F3} by wall time, {Statistics.Median(cpuRatios):F3} by the app thread's CPU time " +
                    $"(the second leaves out how much of a core the machine gave the thread; below 1.000 is a cost)");
        Report.Line($"- {(worstError <= AccuracyTargetPoints ? "MET" : "MISSED")}: reported 70/30 split within {AccuracyTargetPoints} points in every round: " +
                    $"largest error {worstError:F1} points, median {Statistics.Median(errors):F1} (target ≤ {AccuracyTargetPoints})");
        DebugPprof.Stop();
        return 0;
    }

    private static Profile Fetch(HttpClient http, int port, int seconds)
    {
        using var response = http.GetAsync($"http://127.0.0.1:{port}/debug/pprof/profile?seconds={seconds}").GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return ProfileSerializer.Read(response.Content.ReadAsStream());
    }

    /// <summary>Seventy's share of the CPU time in the two methods, by the profile's leaf frames.</summary>
    private static double ReportedSeventyShare(Profile profile)
    {
        var functions = profile.Function.ToDictionary(f => f.Id, f => profile.StringTable[(int)f.Name]);
        var leafNames = profile.Location.ToDictionary(l => l.Id, l => functions[l.Line[0].FunctionId]);
        double seventy = 0, thirty = 0;
        foreach (var sample in profile.Sample)
        {
            var leaf = leafNames[sample.LocationId[0]];
            if (leaf == CpuSplitWorkload.SeventyMethod) seventy += sample.Value[1];
            else if (leaf == CpuSplitWorkload.ThirtyMethod) thirty += sample.Value[1];
        }

        return seventy + thirty == 0 ? double.NaN : seventy / (seventy + thirty);
    }
}
