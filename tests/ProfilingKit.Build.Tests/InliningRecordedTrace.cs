namespace ProfilingKit.Build.Tests;

/// <summary>
/// A real trace like <see cref="RecordedTrace"/>'s, of an AllocatingApp started with
/// DOTNET_RichDebugInfo=1 and a session that also asks for the JIT's inline trees (private provider,
/// keyword 0x40000) and MethodDetails (0x4000000000), after 40 MB allocated in a method the JIT
/// inlines into a hot loop.
/// </summary>
public sealed class InliningRecordedTrace : RecordedTrace
{
    public const string InliningMethod = "InliningLibrary.InlinedAllocations.Run";
    public const string InlinedMethod = "InliningLibrary.InlinedAllocations.NewBuffer";

    public InliningRecordedTrace()
        : base(
            "Microsoft-Windows-DotNETRuntime:0x84000020018:5,Microsoft-Windows-DotNETRuntimePrivate:0x40000:4",
            new Dictionary<string, string> { ["DOTNET_RichDebugInfo"] = "1" },
            "inlined=40")
    {
    }
}
