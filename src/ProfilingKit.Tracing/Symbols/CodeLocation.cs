namespace ProfilingKit.Symbols;

/// <summary>
/// One PC of managed code as Go's text profiles print it: the call site, its method, the offset
/// into the method's code, and the source position where a PDB gives one.
/// </summary>
internal readonly record struct CodeLocation(ulong Address, string Name, ulong Offset, string? File, int Line);
