namespace ProfilingKit.Symbols;

/// <summary>
/// One call the JIT inlined, as rich debug info reports it at a native offset: the inlinee (a
/// MethodID) and the IL offset in it, or -1 when the runtime gave none that can be trusted.
/// </summary>
internal readonly record struct InlinedCall(ulong MethodId, int ILOffset);
