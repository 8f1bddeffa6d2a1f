namespace ProfilingKit.EventPipe;

/// <summary>
/// Who a piece of jitted code belongs to: the runtime's method id (the key of its IL-to-native map),
/// its module id (the key of the module's file) and its metadata token (the key into the PDB).
/// </summary>
internal readonly record struct MethodIdentity(ulong MethodId, ulong ModuleId, uint Token);
