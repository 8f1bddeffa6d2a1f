using ProfilingKit.EventPipe;

namespace ProfilingKit.Symbols;

/// <summary>One body of native code of a managed method: [Start, End), its name, and whose code it is.</summary>
internal readonly record struct MethodCode(ulong Start, ulong End, string Name, MethodIdentity Identity);
