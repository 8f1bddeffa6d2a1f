namespace ProfilingKit.Pprof;

/// <summary>
/// One symbolized stack frame: a function and, where known, its source position, plus the frames
/// the compiler inlined into it at that point.
/// </summary>
public readonly struct Frame : IEquatable<Frame>
{
    private static readonly Frame[] NoInlinedFrames = [];
    private readonly Frame[]? _inlinedFrames;
    private readonly string? _systemName;
    private readonly ulong _address;

    /// <summary>Creates a frame.</summary>
    /// <param name="functionName">The name pprof shows, such as <c>MyApp.Worker.Run</c>.</param>
    /// <param name="fileName">The source file, or <c>null</c> when unknown.</param>
    /// <param name="line">The source line, or 0 when unknown.</param>
    public Frame(string functionName, string? fileName = null, long line = 0)
    {
        FunctionName = functionName ?? throw new ArgumentNullException(nameof(functionName));
        FileName = fileName;
        Line = line;
        _inlinedFrames = null;
        _systemName = null;
        _address = 0;
    }

    private Frame(Frame frame, string? systemName, Frame[]? inlinedFrames, ulong address)
    {
        FunctionName = frame.FunctionName;
        FileName = frame.FileName;
        Line = frame.Line;
        _systemName = systemName;
        _inlinedFrames = inlinedFrames;
        _address = address;
    }

    /// <summary>Creates a frame whose code at this point runs methods the compiler inlined into it.</summary>
    /// <param name="functionName">The name of the function the code belongs to.</param>
    /// <param name="fileName">The source file of the call site in that function, or <c>null</c>.</param>
    /// <param name="line">The source line of the call site in that function, or 0.</param>
    /// <param name="inlinedFrames">The inlined calls, innermost first; each one's caller is the next, the last one's is this frame.</param>
    public Frame(string functionName, string? fileName, long line, IReadOnlyList<Frame> inlinedFrames)
        : this(functionName, fileName, line)
    {
        if (inlinedFrames is null) throw new ArgumentNullException(nameof(inlinedFrames));
        _inlinedFrames = inlinedFrames.Count == 0 ? null : inlinedFrames.Select(frame => new Frame(frame, frame._systemName, null, 0)).ToArray();
    }

    /// <summary>The function name.</summary>
    public string FunctionName { get; }

    /// <summary>
    /// The function's name as the system knows it (profile.proto's system_name); the function name
    /// unless one was given with <see cref="WithSystemName"/>. pprof leaves a function's displayed
    /// name alone when the two differ, and otherwise "demangles" names that look like C++ to it,
    /// which cuts <c>Worker+&lt;ExecuteAsync&gt;d__2</c> down to <c>Worker+d__2</c>.
    /// </summary>
    public string SystemName => _systemName ?? FunctionName;

    /// <summary>The same frame with <paramref name="systemName"/> as its <see cref="SystemName"/>.</summary>
    public Frame WithSystemName(string systemName) =>
        new(this, systemName ?? throw new ArgumentNullException(nameof(systemName)), _inlinedFrames, _address);

    /// <summary>
    /// The native code address the frame was sampled at (a call's own instruction, not its return
    /// address), the Location's address in the profile; 0 where there is none, and then the
    /// profile gives the frame a stable synthetic one (<see cref="ProfileBuilder"/>). The calls
    /// inlined there share it: one address, one Location with a Line for each, as Go's profiles have.
    /// </summary>
    public ulong Address => _address;

    /// <summary>The same frame at the native code address <paramref name="address"/>.</summary>
    public Frame WithAddress(ulong address) => new(this, _systemName, _inlinedFrames, address);

    /// <summary>The source file, or <c>null</c>.</summary>
    public string? FileName { get; }

    /// <summary>The source line, or 0.</summary>
    public long Line { get; }

    /// <summary>The calls inlined into this frame at this point, innermost first; empty when there are none.</summary>
    public IReadOnlyList<Frame> InlinedFrames => _inlinedFrames ?? NoInlinedFrames;

    /// <inheritdoc />
    public bool Equals(Frame other) =>
        Address == other.Address && FunctionName == other.FunctionName && SystemName == other.SystemName && FileName == other.FileName && Line == other.Line && InlinedFramesEqual(other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Frame other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = (((FunctionName?.GetHashCode() ?? 0) * 31 + (FileName?.GetHashCode() ?? 0)) * 31 + Line.GetHashCode()) * 31 + Address.GetHashCode();
        foreach (var inlined in InlinedFrames) hash = hash * 31 + inlined.GetHashCode();
        return hash;
    }

    /// <inheritdoc />
    public override string ToString() => FileName is null ? FunctionName : $"{FunctionName} {FileName}:{Line}";

    private bool InlinedFramesEqual(Frame other)
    {
        var mine = InlinedFrames;
        var theirs = other.InlinedFrames;
        if (mine.Count != theirs.Count) return false;
        for (var i = 0; i < mine.Count; i++)
        {
            if (!mine[i].Equals(theirs[i])) return false;
        }

        return true;
    }
}
