using System.Diagnostics.Tracing;
using System.Reflection;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Allocations;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Heap;
using ProfilingKit.Pprof.Proto;
using ProfilingKit.Symbols;

namespace ProfilingKit;

/// <summary>
/// The process's own profiling: an EventPipe session on itself with allocation sampling and method
/// load events from start-up, and the symbolization that turns what it gathers into profiles.
/// </summary>
internal sealed class RuntimeProfiler : IDisposable
{
    private const int SessionBufferMegabytes = 16;

    private static readonly TimeSpan HeapSnapshotTimeout = TimeSpan.FromSeconds(60);

    private readonly ProfilerThreads _threads;
    private readonly DiagnosticsClient _client = new(Environment.ProcessId);
    private readonly MethodAddressMap _methods = new();
    private readonly AllocationSampler _allocations;
    private readonly MethodSymbolizer _symbolizer;
    private readonly ManualResetEventSlim _started = new();
    private readonly object _profileGate = new();
    private readonly object _heapGate = new();
    private readonly HeapTypeNames _heapTypes = new();
    private SelfTraceSession? _session;
    private string? _unavailableReason;

    public RuntimeProfiler(ProfilerThreads threads)
    {
        _threads = threads;
        _allocations = new AllocationSampler(_methods, id => threads.Contains(id) || GcTrace.IsTraceThread(id));
        _symbolizer = new MethodSymbolizer(_methods, _client, threads);
    }

    /// <summary>Why profiles cannot be served, or null while they can (or sampling is still starting).</summary>
    public string? UnavailableReason => Volatile.Read(ref _unavailableReason) ?? _session?.ReaderError?.Message;

    /// <summary>Starts sampling on a profiler thread, so the app's start-up is not delayed.</summary>
    public void StartInBackground() => _threads.Start("ProfilingKit start", StartSampling);

    /// <summary>Waits until sampling runs or has failed to start; true if it runs.</summary>
    public bool WaitForSampling(TimeSpan timeout) => _started.Wait(timeout) && _session is not null && UnavailableReason is null;

    /// <summary>The allocs profile: everything sampled since start, or null with the reason in <paramref name="error"/>.</summary>
    public Profile? TryGetAllocationProfile(TimeSpan waitForStart, out string? error)
    {
        _started.Wait(waitForStart);
        error = _started.IsSet ? UnavailableReason : "allocation sampling is still starting; try again in a moment";
        if (error is not null) return null;

        lock (_profileGate)
        {
            return AllocationProfile.Build(_allocations.Snapshot(), _symbolizer, MainBinaryName(), DateTimeOffset.UtcNow);
        }
    }

    /// <summary>
    /// The heap profile: a heap snapshot taken now (a blocking gen2 GC) plus the sampled allocations,
    /// or null with the reason in <paramref name="error"/>. One snapshot at a time.
    /// </summary>
    public Profile? TryGetHeapProfile(TimeSpan waitForStart, out string? error)
    {
        _started.Wait(waitForStart);
        error = _started.IsSet ? UnavailableReason : "allocation sampling is still starting; try again in a moment";
        if (error is not null) return null;

        lock (_heapGate)
        {
            HeapSnapshot heap;
            try
            {
                heap = HeapSnapshotSession.Take(_client, _threads, _heapTypes, HeapSnapshotTimeout);
            }
            catch (Exception e)
            {
                error = $"the heap snapshot could not start: {e.GetType().Name}: {e.Message}";
                return null;
            }

            lock (_profileGate)
            {
                return HeapProfile.Build(heap, _allocations.Snapshot(), _symbolizer, MainBinaryName(), DateTimeOffset.UtcNow);
            }
        }
    }

    public void Dispose()
    {
        _started.Wait(TimeSpan.FromSeconds(10));
        _session?.Dispose();
    }

    private void StartSampling()
    {
        try
        {
            var providers = new[]
            {
                new EventPipeProvider(
                    ClrEvents.RuntimeProvider,
                    EventLevel.Verbose, // MethodLoadVerbose is a Verbose event
                    ClrEvents.AllocationSamplingKeyword | ClrEvents.JitKeyword | ClrEvents.LoaderKeyword),
            };
            _session = SelfTraceSession.Start(_client, providers, requestRundown: false, SessionBufferMegabytes, _allocations, _threads, "ProfilingKit sampler");
        }
        catch (Exception e)
        {
            var reason = DescribeStartFailure(e);
            Volatile.Write(ref _unavailableReason, reason);
            ProfilingKitLog.Error(reason + " The app runs on without allocation profiles.");
        }
        finally
        {
            _started.Set();
        }
    }

    private static string DescribeStartFailure(Exception e)
    {
        var disabled = Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") == "0"
                       || Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics_IPC") == "0";
        return disabled
            ? "allocation sampling is unavailable: the runtime's diagnostic port is disabled (DOTNET_EnableDiagnostics=0)."
            : $"allocation sampling could not start: {e.GetType().Name}: {e.Message}";
    }

    private static string MainBinaryName() => Assembly.GetEntryAssembly()?.GetName().Name ?? "dotnet";
}
