using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>The opt-in settings read at start-up: the token, cmdline, and the maximum window.</summary>
public class EndpointAccessTests : IClassFixture<GuardedAppFixture>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly GuardedAppFixture _app;

    public EndpointAccessTests(GuardedAppFixture app) => _app = app;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer s3cret-tokenX")]
    [InlineData("Basic cHByb2Y6d3Jvbmc=")] // pprof:wrong
    public async Task A_missing_or_wrong_token_gets_401_in_gos_form(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _app.Url("allocs"));
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("X-Go-Pprof")));
        Assert.StartsWith("Unauthorized: this endpoint needs the token of PROFILINGKIT_PPROF_TOKEN", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(GuardedAppFixture.Token, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_right_bearer_token_gets_the_profile()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _app.Url("allocs"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GuardedAppFixture.Token);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Go_tool_pprof_passes_the_token_as_the_password_of_the_url()
    {
        var url = $"http://pprof:{GuardedAppFixture.Token}@127.0.0.1:{_app.Port}/debug/pprof/allocs";

        var result = GoPprof.Run("-top", url).EnsureSuccess();

        Assert.Equal("alloc_space", GoPprof.ParseTop(result.StandardOutput).Type);
        var refused = GoPprof.Run("-top", $"http://127.0.0.1:{_app.Port}/debug/pprof/allocs");
        Assert.Contains("401 Unauthorized - Unauthorized: this endpoint needs the token", refused.AllOutput);
    }

    [Fact]
    public async Task Cmdline_when_enabled_is_the_arguments_separated_by_nul()
    {
        using var response = Authorized("cmdline");
        var body = await response.Content.ReadAsStringAsync();

        var arguments = body.Split('\0');
        Assert.EndsWith("AllocatingApp.dll", arguments[0]);
        Assert.Equal("1", arguments[^1]);
    }

    [Fact]
    public async Task Seconds_beyond_the_maximum_are_cut_to_it_and_the_profile_says_so()
    {
        using var response = Authorized("wall?seconds=30");

        var profile = ProfileSerializer.Read(await response.Content.ReadAsStreamAsync());
        Assert.InRange(profile.DurationNanos, 900_000_000, 3_000_000_000);
        Assert.Contains(profile.Comment, c => profile.StringTable[(int)c].Contains("30 s were requested; the window was cut to the endpoint's maximum of 1 s", StringComparison.Ordinal));
    }

    private HttpResponseMessage Authorized(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _app.Url(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("any:" + GuardedAppFixture.Token)));
        var response = Http.Send(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }
}
