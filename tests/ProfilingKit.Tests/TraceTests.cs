using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using ProfilingKit.EventPipe;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>The raw <c>.nettrace</c> of <c>trace?seconds=N</c>, read back by TraceEvent, by our own reader and by the real dotnet-trace.</summary>
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

    [Fact]
    public async Task Dotnet_trace_converts_the_trace_to_speedscope_and_reports_the_methods_that_ran()
    {
        var directory = Directory.CreateTempSubdirectory("profilingkit-trace-");
        try
        {
            var tracePath = Path.Combine(directory.FullName, "trace.nettrace");
            await File.WriteAllBytesAsync(tracePath, await Http.GetByteArrayAsync(_app.Url("trace?seconds=1")));

            // convert adds the format's extension to the name given.
            DotnetTrace.Run(directory.FullName, "convert", tracePath, "--format", "Speedscope", "-o", Path.Combine(directory.FullName, "trace")).EnsureSuccess();
            var opened = SpeedscopeFramesOpened(Path.Combine(directory.FullName, "trace.speedscope.json"));
            Assert.Contains(opened, name => name.Contains(AllocatingAppProcess.SeventyPercentMethod + "(", StringComparison.Ordinal));

            // topN names methods as Type.Method(arguments); inclusive, so the burning thread's methods are in it however many threads wait.
            var report = DotnetTrace.Run(directory.FullName, "report", tracePath, "topN", "--number", "200", "--inclusive").EnsureSuccess();
            Assert.Contains("BusyWork.SeventyPercent(", report.StandardOutput);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The names of the frames that a speedscope file's evented profiles enter at least once: the methods seen on a stack.</summary>
    private static HashSet<string> SpeedscopeFramesOpened(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var frames = document.RootElement.GetProperty("shared").GetProperty("frames").EnumerateArray()
            .Select(frame => frame.GetProperty("name").GetString() ?? "")
            .ToList();
        return document.RootElement.GetProperty("profiles").EnumerateArray()
            .SelectMany(profile => profile.GetProperty("events").EnumerateArray())
            .Where(e => e.GetProperty("type").GetString() == "O")
            .Select(e => frames[e.GetProperty("frame").GetInt32()])
            .ToHashSet();
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
