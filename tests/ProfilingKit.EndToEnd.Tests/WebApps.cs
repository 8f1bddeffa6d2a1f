using ProfilingKit.Testing;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// A fresh <c>dotnet new web</c> app from the packed package with EnableDebugPprof: its profiles on its
/// own Kestrel port through <c>app.MapDebugPprof().RequireAuthorization()</c> (basic authentication,
/// which go tool pprof speaks), again below a <c>MapGroup</c>, and on the standalone listener. It runs
/// under a bounded load of requests to <see cref="RequestMethod"/>, which builds a string in a loop.
/// </summary>
public sealed class WebApps : IDisposable
{
    public const string AppName = "E2EWeb";
    public const string RequestMethod = "E2EWeb.WebWork.BuildReport";
    public const string RetainingMethod = "E2EWeb.WebWork.Retain";
    public const string User = "pprof";
    public const string Password = "s3cret-e2e";

    /// <summary>Requests to /work, each BuildReport(3_000): about 40 KB of strings and builders.</summary>
    public const int LoadRequests = 300;

    private const string ProgramSource = """
        using System.Runtime.CompilerServices;
        using System.Security.Claims;
        using System.Text;
        using System.Text.Encodings.Web;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http.Metadata;
        using Microsoft.Extensions.Options;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddAuthentication("Basic").AddScheme<AuthenticationSchemeOptions, E2EWeb.BasicAuthentication>("Basic", null);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/work", () => E2EWeb.WebWork.BuildReport(3_000));
        app.MapGet("/live-heap", () => GC.GetTotalMemory(forceFullCollection: true));
        E2EWeb.WebWork.Retain(megabytes: 30);
        app.MapDebugPprof().RequireAuthorization();
        app.MapGroup("/admin").RequireAuthorization().MapDebugPprof();

        // What an OpenAPI generator would describe: every endpoint not excluded from descriptions.
        app.MapGet("/described", (EndpointDataSource endpoints) => string.Join("\n", endpoints.Endpoints
            .Where(endpoint => endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Select(endpoint => endpoint.DisplayName)));

        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("working"));
        app.Run();

        namespace E2EWeb
        {
            public static class WebWork
            {
                private static readonly List<byte[]> Retained = [];

                /// <summary>Keeps about <paramref name="megabytes"/> MB alive, so a heap snapshot has something to find.</summary>
                public static void Retain(int megabytes)
                {
                    for (var i = 0; i < megabytes * 16; i++) Retained.Add(new byte[64 * 1024]);
                }

                [MethodImpl(MethodImplOptions.NoInlining)]
                public static string BuildReport(int count)
                {
                    var report = new StringBuilder();
                    for (var i = 0; i < count; i++) report.Append(i).Append(',');
                    return report.ToString();
                }
            }

            public sealed class BasicAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
                : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
            {
                protected override Task<AuthenticateResult> HandleAuthenticateAsync()
                {
                    var header = Request.Headers.Authorization.ToString();
                    if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.NoResult());

                    var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
                    if (credentials != "USER:" + Environment.GetEnvironmentVariable("E2E_PASSWORD")) return Task.FromResult(AuthenticateResult.Fail("wrong password"));

                    var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "USER")], "Basic");
                    return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "Basic")));
                }

                protected override Task HandleChallengeAsync(AuthenticationProperties properties)
                {
                    Response.StatusCode = 401;
                    Response.Headers.WWWAuthenticate = "Basic realm=\"pprof\"";
                    return Task.CompletedTask;
                }
            }
        }
        """;

    private readonly RunningProcess _app;

    public WebApps()
    {
        Package = PackedPackage.Shared;
        ListenerPort = FreePort.Next();
        KestrelPort = FreePort.Next();
        var directory = Package.CreateApp("web", AppName, ProgramSource.Replace("USER", User, StringComparison.Ordinal),
            $"    <EnableDebugPprof>true</EnableDebugPprof>\n    <DebugPprofAddress>127.0.0.1:{ListenerPort}</DebugPprofAddress>");
        File.WriteAllText(Path.Combine(directory, "appsettings.json"), """
            { "Logging": { "LogLevel": { "Default": "Information", "Microsoft.AspNetCore": "Warning" } }, "ProfilingKit": { "MaxProfileSeconds": 2 } }
            """);
        Output = Path.Combine(directory, "out");
        CommandLine.Dotnet(directory, Package.CommandEnvironment, "build", "-o", Output);

        (_app, StartupOutput) = Start(Output, KestrelPort, new Dictionary<string, string>
        {
            // Dynamic PGO inlines the handler lambda and BuildReport away (the Truth issue's): the request path must show.
            ["DOTNET_TieredPGO"] = "0",
        });
        using var http = new HttpClient();
        for (var i = 0; i < LoadRequests; i++) http.GetStringAsync(KestrelUrl("/work")).GetAwaiter().GetResult();
    }

    public PackedPackage Package { get; }

    public int ListenerPort { get; }

    public int KestrelPort { get; }

    /// <summary>Where the built app is.</summary>
    public string Output { get; }

    /// <summary>What the app wrote to stdout (its console logger) before it served.</summary>
    public string StartupOutput { get; }

    public string KestrelUrl(string path) => $"http://127.0.0.1:{KestrelPort}{path}";

    /// <summary>The Kestrel URL with the credentials go tool pprof turns into basic authentication.</summary>
    public string AuthenticatedUrl(string path) => $"http://{User}:{Password}@127.0.0.1:{KestrelPort}{path}";

    public string ListenerUrl(string path) => $"http://127.0.0.1:{ListenerPort}{path}";

    /// <summary>Starts the built app on <paramref name="port"/> and waits until it serves; returns it with what it printed until then.</summary>
    public static (RunningProcess App, string Output) Start(string output, int port, IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(environment)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["E2E_PASSWORD"] = Password,
        };
        var app = new RunningProcess(CommandLine.StartInfo(output, variables, [AppName + ".dll"]));
        var printed = new System.Text.StringBuilder();
        string line;
        while ((line = app.ReadLine(TimeSpan.FromSeconds(60))) != "working") printed.Append(line).Append('\n');
        return (app, printed.ToString());
    }

    public void Dispose() => _app.Dispose();
}
