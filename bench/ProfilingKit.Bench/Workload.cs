
namespace ProfilingKit.Bench;

/// <summary>
/// The measured process: sets up its mode, warms up, runs the timed string-building work, prints one result line,
/// then waits until the driver closes stdin (the driver reads its memory and fetches the profile
/// meanwhile) and prints its live managed heap.
/// </summary>
internal static class Workload
{
    public const string ManagedHeapPrefix = "managed-heap ";

    /// <summary>Announces a phase just before it starts, so that the driver can read per-thread CPU times at the boundary.</summary>
    public const string PhasePrefix = "phase ";

    public const string WarmupPhase = "warm-up";

    public const string TimedPhase = "timed";

    public static int Run(WorkloadArguments args)
    {
        string? profilesUrl = null;
        if (args.Mode == BenchMode.RuntimeSession && Environment.GetEnvironmentVariable("DOTNET_EnableEventPipe") != "1")
        {
            Console.Error.WriteLine("runtime-session mode needs the DOTNET_EnableEventPipe variables; the driver sets them.");
            return 2;
        }

        if (args.Mode == BenchMode.ProfilingKit)
        {
            // Sampling starts in the background; wait so that all the timed work is sampled.
            if (!DebugPprof.Start($"127.0.0.1:{ProfilingKit.Testing.FreePort.Next()}") || !DebugPprof.WaitForSampling(TimeSpan.FromSeconds(30)))
            {
                Console.Error.WriteLine("ProfilingKit did not start sampling; see its line above.");
                return 2;
            }

            profilesUrl = DebugPprof.ProfilesUrl;
        }

        Console.WriteLine(PhasePrefix + WarmupPhase);
        var warmup = WorkPhase.Measure(args.Rate, (calls, _) => calls >= args.WarmupCalls);
        Console.WriteLine(PhasePrefix + TimedPhase);
        var timed = WorkPhase.Measure(args.Rate, args.IsDone);
        Console.WriteLine(new WorkloadResult(args.Mode.Name, args.Rate.Name, warmup, timed, profilesUrl).ToLine());

        Console.In.ReadToEnd();
        Console.WriteLine(ManagedHeapPrefix + GC.GetTotalMemory(forceFullCollection: true));
        return 0;
    }
}
