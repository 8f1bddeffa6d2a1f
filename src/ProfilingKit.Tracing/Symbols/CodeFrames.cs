namespace ProfilingKit.Symbols;

/// <summary>
/// A stack frame as the code it was in when it was sampled: bit 63 set, a <see cref="MethodCode.Id"/>
/// and the return address's offset into that code, in place of the address itself. Dynamic methods
/// and collectible assemblies free their code, and new code reuses the addresses; a frame kept as an
/// address would take the name of whatever runs there when the profile is read (issue 20: the newest
/// ~300 compiled expressions credited with 14 GB of older ones' allocations). User-space addresses
/// never set bit 63, and the ids stop short of the stack table's markers (all ones).
/// </summary>
internal static class CodeFrames
{
    private const ulong Tag = 1UL << 63;

    /// <summary>Code ids stay below this, so no code frame equals a marker of the stack table.</summary>
    public const int MaxId = 0x7FFF_FFFE;

    public static ulong Encode(int id, uint offset) => Tag | ((ulong)id << 32) | offset;

    /// <summary>True when <paramref name="frame"/> is a code frame (not a raw address, not a marker).</summary>
    public static bool TryDecode(ulong frame, out int id, out uint offset)
    {
        id = (int)((frame >> 32) & 0x7FFF_FFFF);
        offset = (uint)frame;
        return (frame & Tag) != 0 && id <= MaxId;
    }
}
