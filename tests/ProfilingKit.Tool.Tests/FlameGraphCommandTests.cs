using System.Net;
using System.Net.Sockets;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

public class FlameGraphCommandTests
{
    [Fact]
    public void Flame_writes_one_page_with_the_profiles_functions_and_says_where()
    {
        var profile = Fixtures.WriteFile(Fixtures.SmallAllocsGzip());
        var output = Path.Combine(Path.GetDirectoryName(profile)!, "flame.html");

        var run = ToolRun.Of("flame", "-o", output, profile);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"Wrote the flame graph to {output}", run.Output.Trim());
        var data = FlameGraphPageData.Of(File.ReadAllText(output));
        Assert.Equal((1_000_000L, 1_000_000L), FlameGraphPageData.Top(data, type: 1)[Fixtures.Concat.FunctionName]);
        Assert.Equal(profile, data.GetProperty("title").GetString());
    }

    [Fact]
    public void Sample_index_picks_the_type_shown_first_and_an_unknown_one_is_one_line()
    {
        var profile = Fixtures.WriteFile(Fixtures.SmallAllocsGzip());
        var output = Path.Combine(Path.GetDirectoryName(profile)!, "flame.html");

        Assert.Equal(0, ToolRun.Of("flame", "-sample_index=alloc_objects", "-o", output, profile).ExitCode);
        Assert.Equal(0, FlameGraphPageData.Of(File.ReadAllText(output)).GetProperty("selected").GetInt32());

        var bad = ToolRun.Of("flame", "-sample_index=cpu", "-o", output, profile);
        Assert.Equal(1, bad.ExitCode);
        Assert.StartsWith("sample_index \"cpu\" must be one of: [alloc_objects", bad.Error); // the reports' message, as Go's
    }

    [Fact]
    public void Flame_folds_async_plumbing_by_default_and_keeps_it_with_async_false()
    {
        var profile = Fixtures.WriteFile(ProfileSerializer.ToGzipBytes(DiffAndAsyncTests.AsyncHandlerProfile()));
        var output = Path.Combine(Path.GetDirectoryName(profile)!, "flame.html");
        const string Plumbing = "System.Runtime.CompilerServices.AsyncMethodBuilderCore.Start";

        Assert.Equal(0, ToolRun.Of("flame", "-o", output, profile).ExitCode);
        var folded = FlameGraphPageData.Top(FlameGraphPageData.Of(File.ReadAllText(output)), type: 1);
        Assert.Equal(0, ToolRun.Of("flame", "-async=false", "-o", output, profile).ExitCode);
        var plain = FlameGraphPageData.Top(FlameGraphPageData.Of(File.ReadAllText(output)), type: 1);

        Assert.DoesNotContain(Plumbing, folded.Keys);
        Assert.Contains("MyApp.Handler.HandleAsync", folded.Keys);
        Assert.Contains(Plumbing, plain.Keys);
    }

    [Fact]
    public void Flame_without_an_output_file_says_how_to_give_one()
    {
        var run = ToolRun.Of("flame", Fixtures.WriteFile(Fixtures.SmallAllocsGzip()));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("flame needs an output file: dotnet pprof flame -o FILE.html PROFILE", run.Error);
    }

    [Fact]
    public void Web_writes_a_temp_file_prints_its_path_and_hands_it_to_the_browser()
    {
        var opened = new List<string>();
        var output = new StringWriter();
        var status = new StringWriter();
        var tool = new Tool(output, status, interactive: false) { OpenBrowser = path => { opened.Add(path); return true; } };

        var exitCode = tool.Run(["web", Fixtures.WriteFile(Fixtures.SmallAllocsGzip())]);

        Assert.Equal(0, exitCode);
        var path = Assert.Single(opened);
        Assert.StartsWith(Path.GetTempPath(), path);
        Assert.Equal($"Wrote the flame graph to {path}", output.ToString().Trim());
        Assert.Contains(Fixtures.Concat.FunctionName, FlameGraphPageData.FunctionNames(FlameGraphPageData.Of(File.ReadAllText(path))));
        Assert.Equal("", status.ToString());
        File.Delete(path);
    }

    [Fact]
    public void Web_without_a_browser_still_succeeds_and_says_to_open_the_file()
    {
        var status = new StringWriter();
        var tool = new Tool(new StringWriter(), status, interactive: false) { OpenBrowser = _ => false };

        var profile = Fixtures.WriteFile(Fixtures.SmallAllocsGzip());
        var output = Path.Combine(Path.GetDirectoryName(profile)!, "web.html");

        Assert.Equal(0, tool.Run(["web", "-o", output, profile]));
        Assert.Contains("open the file yourself", status.ToString());
        Assert.True(File.Exists(output));
    }

    [Fact]
    public async Task Http_serves_the_page_and_the_raw_profile_until_stopped()
    {
        var port = FreePort.Next();
        using var stop = new CancellationTokenSource();
        var status = new StringWriter();
        var tool = new Tool(new StringWriter(), TextWriter.Synchronized(status), interactive: false) { Stop = stop.Token };
        var running = Task.Run(() => tool.Run(["-http", $"127.0.0.1:{port}", Fixtures.WriteFile(Fixtures.SmallAllocsGzip())]));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await ServingAsync(status, running); // the tool says so once it serves: a request before that waits in the listen queue
        var page = await http.GetStringAsync($"http://127.0.0.1:{port}/");
        var raw = await http.GetByteArrayAsync($"http://127.0.0.1:{port}/profile.pb.gz");
        var missing = await http.GetAsync($"http://127.0.0.1:{port}/nothing");
        stop.Cancel();

        Assert.Equal(0, await running.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains($"Serving web UI on http://127.0.0.1:{port}/", status.ToString());
        var data = FlameGraphPageData.Of(page);
        Assert.Equal("profile.pb.gz", data.GetProperty("download").GetString());
        Assert.Equal(Fixtures.SmallAllocs(), ProfileSerializer.Read(new MemoryStream(raw)));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public void Http_on_a_busy_port_is_one_line_and_exit_1()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var run = ToolRun.Of("-http", $"127.0.0.1:{port}", Fixtures.WriteFile(Fixtures.SmallAllocsGzip()));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"-http 127.0.0.1:{port}: the port {port} is in use; pick another (-http=localhost:PORT)", run.Error);
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("localhost:http")]
    [InlineData("localhost:70000")]
    public void Http_with_a_malformed_address_is_one_line(string address)
    {
        var run = ToolRun.Of("-http", address, Fixtures.WriteFile(Fixtures.SmallAllocsGzip()));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"-http takes host:port, such as localhost:8080 or :8080, not \"{address}\"", run.Error);
    }

    /// <summary>Waits until the tool's status says it serves, or fails with what it said instead.</summary>
    private static async Task ServingAsync(StringWriter status, Task<int> running)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!status.ToString().Contains("Serving web UI on", StringComparison.Ordinal))
        {
            Assert.False(running.IsCompleted, $"the tool stopped before it served: {status}");
            Assert.True(DateTime.UtcNow < deadline, $"the tool did not serve within 60 s: {status}");
            await Task.Delay(100);
        }
    }
}
