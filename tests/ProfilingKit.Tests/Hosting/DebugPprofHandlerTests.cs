using System.Text;

namespace ProfilingKit.Tests.Hosting;

/// <summary>The handler a host of the app's own calls (MapDebugPprof), where nothing samples.</summary>
public class DebugPprofHandlerTests
{
    [Fact]
    public async Task Where_nothing_samples_every_request_is_a_503_that_says_why()
    {
        // With ProfilingKit off the handler starts no sampling of its own (this test process is not profiled).
        Environment.SetEnvironmentVariable(DebugPprof.AddressVariable, "off");
        using var handler = DebugPprof.CreateHandler();
        Environment.SetEnvironmentVariable(DebugPprof.AddressVariable, null);
        var exchange = new RecordedExchange("/allocs");

        await handler.ServeAsync(exchange);

        Assert.Equal(503, exchange.Status);
        Assert.Contains(new KeyValuePair<string, string>("X-Go-Pprof", "1"), exchange.Headers);
        Assert.StartsWith("Could not collect profile: ProfilingKit is not sampling in this process", Encoding.UTF8.GetString(exchange.Body.ToArray()));
        Assert.Equal(exchange.Body.Length, exchange.ContentLength);
    }

    private sealed class RecordedExchange(string path) : DebugPprofExchange
    {
        public int Status { get; private set; }

        public long? ContentLength { get; private set; }

        public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private set; } = [];

        public MemoryStream Body { get; } = new();

        public override string Method => "GET";

        public override string PathBase => "/debug/pprof";

        public override string Path => path;

        public override string Query => "";

        public override CancellationToken Aborted => CancellationToken.None;

        public override Stream? RequestBody => null;

        public override Stream ResponseBody => Body;

        public override string? GetHeader(string name) => null;

        public override void StartResponse(int statusCode, string? contentType, long? contentLength, IReadOnlyList<KeyValuePair<string, string>> headers)
        {
            Status = statusCode;
            ContentLength = contentLength;
            Headers = headers;
        }
    }
}
