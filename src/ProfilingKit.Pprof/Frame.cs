namespace ProfilingKit.Pprof;

/// <summary>One symbolized stack frame: a function and, where known, its source position.</summary>
public readonly struct Frame : IEquatable<Frame>
{
    /// <summary>Creates a frame.</summary>
    /// <param name="functionName">The name pprof shows, such as <c>MyApp.Worker.Run</c>.</param>
    /// <param name="fileName">The source file, or <c>null</c> when unknown.</param>
    /// <param name="line">The source line, or 0 when unknown.</param>
    public Frame(string functionName, string? fileName = null, long line = 0)
    {
        FunctionName = functionName ?? throw new ArgumentNullException(nameof(functionName));
        FileName = fileName;
        Line = line;
    }

    /// <summary>The function name.</summary>
    public string FunctionName { get; }

    /// <summary>The source file, or <c>null</c>.</summary>
    public string? FileName { get; }

    /// <summary>The source line, or 0.</summary>
    public long Line { get; }

    /// <inheritdoc />
    public bool Equals(Frame other) => FunctionName == other.FunctionName && FileName == other.FileName && Line == other.Line;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Frame other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() =>
        ((FunctionName?.GetHashCode() ?? 0) * 31 + (FileName?.GetHashCode() ?? 0)) * 31 + Line.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => FileName is null ? FunctionName : $"{FunctionName} {FileName}:{Line}";
}
