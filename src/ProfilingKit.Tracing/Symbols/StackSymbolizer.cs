using ProfilingKit.Allocations;
using ProfilingKit.Pprof;

namespace ProfilingKit.Symbols;

/// <summary>
/// Turns raw stacks into pprof frames named <c>Namespace.Type.Method</c>, with file and line where a
/// <see cref="SourceLineMap"/> knows them, and the calls inlined at each frame where it knows those.
/// Dependency-free, so the MSBuild task links it as source and names frames exactly as the
/// runtime's profiles do.
/// </summary>
internal sealed class StackSymbolizer
{
    /// <summary>The frame that stands for native code between managed frames.</summary>
    public const string NativeCodeFrame = "[native code]";

    /// <summary>
    /// The root of every thread started with <c>new Thread(...)</c>. Dropped like Go drops
    /// runtime.goexit, so a thread's own function is the root and can lead by cum.
    /// </summary>
    private const string ThreadStartFrame = "System.Threading.Thread.StartCallback";

    private readonly MethodAddressMap _methods;
    private readonly SourceLineMap? _lines;

    public StackSymbolizer(MethodAddressMap methods, SourceLineMap? lines = null)
    {
        _methods = methods;
        _lines = lines;
    }

    /// <summary>
    /// The frames of <paramref name="stack"/>, leaf first. Unnamed frames at either end (allocation
    /// helpers in the runtime, native thread start) are dropped; a run of them between managed frames
    /// becomes one <see cref="NativeCodeFrame"/>. The thread-start root frame is dropped too.
    /// </summary>
    public List<Frame> Symbolize(ulong[] stack) => Symbolize(stack, leafCallsAllocator: false);

    /// <summary>
    /// The frames of an allocation's stack, as <see cref="Symbolize(ulong[])"/>; its first managed
    /// frame calls the runtime's allocator, which lets its line be found where optimized code
    /// left that call unmapped (<see cref="SourceLineMap.TryResolveAllocationCall"/>).
    /// </summary>
    public List<Frame> SymbolizeAllocation(ulong[] stack) => Symbolize(stack, leafCallsAllocator: true);

    private List<Frame> Symbolize(ulong[] stack, bool leafCallsAllocator)
    {
        var frames = new List<Frame>(stack.Length);
        var pendingNative = false;
        foreach (var address in stack)
        {
            if (StackTable.MarkerName(address) is { } marker)
            {
                frames.Add(new Frame(marker));
                pendingNative = false;
                continue;
            }

            if (!_methods.TryResolveFrame(address, out var code, out var returnAddress))
            {
                pendingNative = frames.Count > 0;
                continue;
            }

            if (pendingNative) frames.Add(new Frame(NativeCodeFrame));
            pendingNative = false;
            frames.Add(FrameAt(code, CallSite(code, returnAddress), leafCallsAllocator && frames.Count == 0));
        }

        if (frames.Count > 1 && frames[^1].FunctionName == ThreadStartFrame) frames.RemoveAt(frames.Count - 1);
        return frames;
    }

    /// <summary>Return addresses point after the call; the call instruction, in the same code, is what the frame is at.</summary>
    private static ulong CallSite(in MethodCode code, ulong returnAddress) => Math.Max(returnAddress - 1, code.Start);

    /// <summary>
    /// The frame of the code at <paramref name="at"/>, with the calls the JIT inlined there where the
    /// runtime reported them, at that native address: freed code keeps the address it ran at, and the
    /// frame its name, though later code may be there now (one address, two Locations with their own Lines).
    /// </summary>
    private Frame FrameAt(in MethodCode code, ulong at, bool callsAllocator)
    {
        var frame = new Frame(code.Name);
        if (_lines is not null)
        {
            var hasLine = callsAllocator ? _lines.TryResolveAllocationCall(code, at, out var file, out var line) : _lines.TryResolve(code, at, out file, out line);
            frame = new Frame(code.Name, hasLine ? file : null, hasLine ? line : 0, _lines.InlinedFramesAt(code, at));
        }

        return (code.SystemName is { } systemName ? frame.WithSystemName(systemName) : frame).WithAddress(at);
    }

    /// <summary>
    /// The managed code at one return address of a stack, for Go's text formats, which print every
    /// PC with its function offset; null for native code.
    /// </summary>
    public CodeLocation? Locate(ulong address)
    {
        if (!_methods.TryResolveFrame(address, out var code, out var returnAddress)) return null;

        var at = CallSite(code, returnAddress);
        return _lines is not null && _lines.TryResolve(code, at, out var file, out var line)
            ? new CodeLocation(at, code.Name, at - code.Start, file, line)
            : new CodeLocation(at, code.Name, at - code.Start, null, 0);
    }
}
