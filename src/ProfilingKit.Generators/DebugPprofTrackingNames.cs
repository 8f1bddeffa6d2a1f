namespace ProfilingKit.Generators;

/// <summary>Names of the <see cref="DebugPprofGenerator"/> pipeline steps, for incrementality tests.</summary>
internal static class DebugPprofTrackingNames
{
    public const string BuildSettings = nameof(BuildSettings);
    public const string RuntimeReferenced = nameof(RuntimeReferenced);
    public const string StartAddress = nameof(StartAddress);
    public const string GcTraceReferenced = nameof(GcTraceReferenced);
    public const string GcTraceWanted = nameof(GcTraceWanted);
    public const string AspNetCoreReferenced = nameof(AspNetCoreReferenced);
    public const string MapDebugPprofWanted = nameof(MapDebugPprofWanted);
    public const string TestFrameworks = nameof(TestFrameworks);
}
