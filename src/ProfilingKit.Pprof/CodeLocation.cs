namespace ProfilingKit.Pprof;

/// <summary>
/// One program counter as Go's legacy text profiles print it (<c>#	0xPC	Name+0xOFF	file:line</c>):
/// the address, its function, the offset into the function's code, and the source position where known.
/// </summary>
public readonly struct CodeLocation
{
    /// <summary>Creates a location.</summary>
    /// <param name="address">The program counter.</param>
    /// <param name="name">The function the address lies in.</param>
    /// <param name="offset">The address's offset from the start of the function's code.</param>
    /// <param name="file">The source file, or null when unknown.</param>
    /// <param name="line">The source line, or 0 when unknown.</param>
    public CodeLocation(ulong address, string name, ulong offset, string? file, int line)
    {
        Address = address;
        Name = name ?? throw new ArgumentNullException(nameof(name));
        Offset = offset;
        File = file;
        Line = line;
    }

    /// <summary>The program counter.</summary>
    public ulong Address { get; }

    /// <summary>The function the address lies in.</summary>
    public string Name { get; }

    /// <summary>The offset into the function's code.</summary>
    public ulong Offset { get; }

    /// <summary>The source file, or null.</summary>
    public string? File { get; }

    /// <summary>The source line, or 0.</summary>
    public int Line { get; }
}
