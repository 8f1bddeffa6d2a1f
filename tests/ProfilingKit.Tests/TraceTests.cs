using System.Net;
using System.Text;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Tests;

/// <summary>The raw <c>.nettrace</c> of <c>trace?seconds=N</c>, read back by TraceEvent and by our own reader.</summary>
[Collection(BusyAppCollection.Name)]
public class TraceTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly BusyAppFixture _app;

    public TraceTests(BusyAppFixture app) => _app = app;

    [Fact]
    public async Task Trace_is_a_nettrace_attachment_that_TraceEvent_and_our_reader_read()
    {
        using var response = await Http.GetAsync(_app.Url("trace?seconds=0.5"));
        var trace = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment; filename=\"trace.nettrace\"", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal("Nettrace", Encoding.ASCII.GetString(trace, 0, 8));

        var samples = 0;
        var methodNames = new HashSet<string>();
        using (var source = new EventPipeEventSource(new MemoryStream(trace)))
        {
            source.Dynamic.All += e =>
            {
                if (e.ProviderName == ClrEvents.SampleProfilerProvider) samples++;
            };
            var rundown = new ClrRundownTraceEventParser(source);
            rundown.MethodDCStopVerbose += e => methodNames.Add(e.MethodNamespace + "." + e.MethodName);
            source.Process();
        }

        Assert.True(samples > 10, $"TraceEvent read {samples} SampleProfiler events");
        Assert.Contains(AllocatingAppProcess.BurningMethod, methodNames); // the rundown names the app's code

        var ours = 0;
        new NetTraceReader(new MemoryStream(trace), new RecordHandler((in TraceEventRecord r) =>
        {
            if (ClrEvents.IsThreadSample(r.Metadata)) ours++;
        })).Read();
        Assert.Equal(samples, ours);
    }

    [Theory]
    [InlineData("trace?seconds=abc")]
    [InlineData("trace?seconds=0")]
    [InlineData("trace?seconds=-1")]
    public async Task Bad_trace_seconds_get_a_400(string path)
    {
        using var response = await Http.GetAsync(_app.Url(path));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid value for \"seconds\" - must be a positive number\n", await response.Content.ReadAsStringAsync());
    }
}
