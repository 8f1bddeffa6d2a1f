using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace ProfilingKit.Tests;

/// <summary>Records a real nettrace stream of this test process while a workload runs.</summary>
internal static class SelfTrace
{
    public const long AllocationSamplingKeyword = 0x80000000000;

    public static byte[] Record(Action workload, long keywords = AllocationSamplingKeyword | 0x10 | 0x8, bool requestRundown = false)
    {
        var client = new DiagnosticsClient(Environment.ProcessId);
        using var session = client.StartEventPipeSession(
            new[] { new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, keywords) },
            requestRundown,
            circularBufferMB: 64);
        using var buffer = new MemoryStream();
        var copy = Task.Run(() => session.EventStream.CopyTo(buffer));
        workload();
        session.Stop();
        Assert.True(copy.Wait(TimeSpan.FromSeconds(60)), "the trace stream did not end after the session stopped");
        return buffer.ToArray();
    }
}
