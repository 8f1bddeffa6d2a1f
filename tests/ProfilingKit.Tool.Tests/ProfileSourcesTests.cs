using System.Text;

namespace ProfilingKit.Tool.Tests;

public class ProfileSourcesTests
{
    private readonly StringWriter _status = new();

    [Fact]
    public void A_file_gzip_or_plain_reads_as_the_profile_written()
    {
        var gzip = Fixtures.WriteFile(Fixtures.SmallAllocsGzip());
        var plain = Fixtures.WriteFile(Google.Protobuf.MessageExtensions.ToByteArray(Fixtures.SmallAllocs()), "plain.pb");

        Assert.Equal(Fixtures.SmallAllocs(), Sources().Load(gzip, seconds: null));
        Assert.Equal(Fixtures.SmallAllocs(), Sources().Load(plain, seconds: null));
    }

    [Fact]
    public void A_missing_file_says_so()
    {
        var error = Assert.Throws<ToolException>(() => Sources().Load("/no/such/allocs.pb.gz", seconds: null));

        Assert.Equal("/no/such/allocs.pb.gz: no such file", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_profile_says_so()
    {
        var path = Fixtures.WriteFile(Encoding.UTF8.GetBytes("goroutine profile: total 3\n"), "goroutines.txt");

        var error = Assert.Throws<ToolException>(() => Sources().Load(path, seconds: null));

        Assert.StartsWith($"{path} is not a pprof profile: ", error.Message);
    }

    [Fact]
    public void A_truncated_gzip_says_so_and_is_not_read_as_a_shorter_profile()
    {
        var whole = Fixtures.SmallAllocsGzip();
        var path = Fixtures.WriteFile(whole[..(whole.Length - 10)]);

        var error = Assert.Throws<ToolException>(() => Sources().Load(path, seconds: null));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_url_without_a_path_fetches_the_cpu_profile_with_the_seconds_asked_for_and_counts_down()
    {
        using var endpoint = FakeEndpoint.Serving(200, "application/octet-stream", Fixtures.SmallAllocsGzip(), TimeSpan.FromSeconds(6));

        var profile = Sources().Load(endpoint.BaseUrl, seconds: 6);

        Assert.Equal(Fixtures.SmallAllocs(), profile);
        Assert.Equal("/debug/pprof/profile?seconds=6", Assert.Single(endpoint.Requests).PathAndQuery);
        var lines = _status.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Fetching profile over HTTP from {endpoint.BaseUrl}/debug/pprof/profile?seconds=6", lines[0]);
        Assert.Contains("6 s left", lines);
        Assert.Contains(lines, line => line.EndsWith(" s left", StringComparison.Ordinal) && int.Parse(line.Split(' ')[0]) is >= 1 and <= 5); // once past 5 s left, however late the tick
    }

    [Fact]
    public void The_urls_password_goes_as_basic_authentication_and_is_never_printed()
    {
        using var endpoint = FakeEndpoint.Serving(200, "application/octet-stream", Fixtures.SmallAllocsGzip());
        var url = endpoint.BaseUrl.Replace("http://", "http://pprof:s3cret-token@") + "/debug/pprof/allocs?debug=0";

        Sources().Load(url, seconds: null);

        var request = Assert.Single(endpoint.Requests);
        Assert.Equal("/debug/pprof/allocs?debug=0", request.PathAndQuery);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("pprof:s3cret-token")), request.Authorization);
        Assert.DoesNotContain("s3cret", _status.ToString());
    }

    [Fact]
    public void A_url_that_answers_an_error_gives_its_status_and_first_line()
    {
        using var endpoint = FakeEndpoint.Serving(401, "text/plain", Encoding.UTF8.GetBytes("Unauthorized: this endpoint needs the token\nmore"));

        var error = Assert.Throws<ToolException>(() => Sources().Load(endpoint.BaseUrl + "/debug/pprof/heap", seconds: null));

        Assert.Equal($"{endpoint.BaseUrl}/debug/pprof/heap answered 401 Unauthorized: Unauthorized: this endpoint needs the token", error.Message);
    }

    [Fact]
    public void A_url_that_is_not_a_pprof_endpoint_says_so()
    {
        using var endpoint = FakeEndpoint.Serving(200, "text/html", Encoding.UTF8.GetBytes("<!doctype html><html><body>Welcome</body></html>"));

        var error = Assert.Throws<ToolException>(() => Sources().Load(endpoint.BaseUrl + "/", seconds: null));

        Assert.StartsWith($"{endpoint.BaseUrl}/debug/pprof/profile is not a pprof profile: ", error.Message);
    }

    [Fact]
    public void A_url_nothing_listens_on_says_so()
    {
        var url = $"http://127.0.0.1:{ProfilingKit.Testing.FreePort.Next()}/debug/pprof/allocs";

        var error = Assert.Throws<ToolException>(() => Sources().Load(url, seconds: null));

        Assert.StartsWith(url + ": ", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private ProfileSources Sources() => new(_status, interactive: false);
}
