using ProfilingKit.EventPipe;

namespace ProfilingKit.Symbols;

/// <summary>
/// One body of native code of a managed method: [Start, End), its name (<c>Namespace.Type.Method</c>),
/// whose code it is, and its name as the runtime reports it (<c>Namespace.Type::Method</c>), or null.
/// <see cref="Id"/> numbers it among all the code a <see cref="MethodAddressMap"/> has seen, so it
/// stays named after its range is freed and reused (<see cref="CodeFrames"/>).
/// </summary>
internal readonly record struct MethodCode(ulong Start, ulong End, string Name, MethodIdentity Identity, string? SystemName = null)
{
    public int Id { get; init; } = -1;
}
