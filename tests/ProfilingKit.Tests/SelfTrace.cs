using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace ProfilingKit.Tests;

/// <summary>Records a real nettrace stream of this test process while a workload runs.</summary>
internal static class SelfTrace
{
    public const long AllocationSamplingKeyword = 0x80000000000;

    /// <param name="readLate">Read the stream only after the workload, with a 1 MB buffer: the runtime drops what does not fit.</param>
    public static byte[] Record(Action workload, long keywords = AllocationSamplingKeyword | 0x10 | 0x8, bool requestRundown = false, bool readLate = false)
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        using var session = client.StartEventPipeSession(
            new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords) },
            requestRundown,
            circularBufferMB: readLate ? 1 : 64);
        using var buffer = new MemoryStream();
        var copy = readLate ? null : Task.Run(() => session.EventStream.CopyTo(buffer));
        workload();
        copy ??= Task.Run(() => session.EventStream.CopyTo(buffer));
        session.Stop();
        Assert.True(copy.Wait(TimeSpan.FromSeconds(60)), "the trace stream did not end after the session stopped");
        return buffer.ToArray();
    }
}
