using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Diagnostics;
using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Symbols;

/// <summary>
/// Turns raw stacks into pprof frames named <c>Namespace.Type.Method</c>. Addresses of code that
/// was compiled before sampling started (ReadyToRun code, early JIT) are named by a rundown: a
/// short extra session whose end makes the runtime list every loaded method.
/// </summary>
internal sealed class MethodSymbolizer
{
    /// <summary>The frame that stands for native code between managed frames.</summary>
    public const string NativeCodeFrame = "[native code]";

    /// <summary>
    /// The root of every thread started with <c>new Thread(...)</c>. Dropped like Go drops
    /// runtime.goexit, so a thread's own function is the root and can lead by cum.
    /// </summary>
    private const string ThreadStartFrame = "System.Threading.Thread.StartCallback";

    private readonly MethodAddressMap _methods;
    private readonly DiagnosticsClient _client;
    private readonly ProfilerThreads _threads;
    private readonly HashSet<ulong> _triedRundownFor = new();
    private readonly object _rundownGate = new();

    public MethodSymbolizer(MethodAddressMap methods, DiagnosticsClient client, ProfilerThreads threads)
    {
        _methods = methods;
        _client = client;
        _threads = threads;
    }

    /// <summary>Rundowns run so far (each costs a few hundred milliseconds).</summary>
    public int RundownCount { get; private set; }

    /// <summary>
    /// Makes sure every address of <paramref name="stacks"/> has been looked up in a rundown at least
    /// once, running one now if some have not. Addresses still unknown after that are native code.
    /// </summary>
    public void PrepareFor(IEnumerable<ulong[]> stacks)
    {
        lock (_rundownGate)
        {
            var unknown = new HashSet<ulong>();
            foreach (var stack in stacks)
            {
                foreach (var address in stack)
                {
                    if (!_triedRundownFor.Contains(address) && _methods.Resolve(address) is null) unknown.Add(address);
                }
            }

            if (unknown.Count == 0) return;

            RunRundown();
            _triedRundownFor.UnionWith(unknown);
        }
    }

    /// <summary>
    /// The frames of <paramref name="stack"/>, leaf first. Unnamed frames at either end (allocation
    /// helpers in the runtime, native thread start) are dropped; a run of them between managed frames
    /// becomes one <see cref="NativeCodeFrame"/>. The thread-start root frame is dropped too.
    /// </summary>
    public List<Frame> Symbolize(ulong[] stack)
    {
        var frames = new List<Frame>(stack.Length);
        var pendingNative = false;
        foreach (var address in stack)
        {
            // Return addresses point after the call; look up the call instruction's method.
            var name = _methods.Resolve(address) ?? _methods.Resolve(address - 1);
            if (name is null)
            {
                pendingNative = frames.Count > 0;
                continue;
            }

            if (pendingNative) frames.Add(new Frame(NativeCodeFrame));
            pendingNative = false;
            frames.Add(new Frame(name));
        }

        if (frames.Count > 1 && frames[^1].FunctionName == ThreadStartFrame) frames.RemoveAt(frames.Count - 1);
        return frames;
    }

    private void RunRundown()
    {
        var handler = new MethodDefinitionCollector(_methods);
        var providers = new[] { new EventPipeProvider(ClrEvents.RuntimeProvider, EventLevel.Critical, 0) };
        using var session = SelfTraceSession.Start(_client, providers, requestRundown: true, bufferMegabytes: 64, handler, _threads, "ProfilingKit rundown");
        if (!session.StopAndDrain(TimeSpan.FromSeconds(30)))
        {
            ProfilingKitLog.Warn("the method rundown did not finish within 30 s; some frames may show as [native code].");
        }

        RundownCount++;
    }

    private sealed class MethodDefinitionCollector : INetTraceHandler
    {
        private readonly MethodAddressMap _methods;

        public MethodDefinitionCollector(MethodAddressMap methods) => _methods = methods;

        public void OnEvent(in TraceEventRecord record) => _methods.TryAdd(record);
    }
}
