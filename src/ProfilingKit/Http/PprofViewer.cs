using System.Net;
using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Viewer;

namespace ProfilingKit.Http;

/// <summary>
/// <c>/debug/pprof/ui/</c>: a list of the profiles, each with a seconds field where a window applies,
/// and <c>ui/NAME</c>, the flame graph page of that profile from the same <see cref="FlameGraphPage"/>
/// the tool writes. The profile comes from the profile's own route, so its parameters, limits and
/// errors (a bad <c>seconds</c> is the same 400) are that route's.
/// </summary>
internal sealed class PprofViewer
{
    /// <summary>The viewer's path below the base path.</summary>
    public const string Name = "ui";

    /// <summary>Paths that answer something other than a profile.proto.</summary>
    private static readonly HashSet<string> NotProfiles = new(StringComparer.Ordinal) { "cmdline", "symbol", "trace" };

    /// <summary>Profiles that are a window of the next N seconds (Go's default 30), not a state now.</summary>
    private static readonly HashSet<string> Windowed = new(StringComparer.Ordinal) { "profile", "wall" };

    private readonly IReadOnlyList<PprofRoute> _profiles;

    public PprofViewer(IReadOnlyList<PprofRoute> routes) => _profiles = routes.Where(route => !NotProfiles.Contains(route.Name)).ToList();

    /// <summary>The reply to <c>ui/</c> + <paramref name="profileName"/> (empty for the list).</summary>
    public PprofReply Serve(string profileName, PprofRequest request, CancellationToken cancel)
    {
        if (profileName.Length == 0) return PprofReply.Text(RenderList(), "text/html; charset=utf-8");

        var route = _profiles.FirstOrDefault(candidate => candidate.Name == profileName)
            ?? throw new PprofRequestException(HttpStatusCode.NotFound, "Unknown profile");
        var query = request.Query;
        if (query.Debug != 0)
        {
            throw new PprofRequestException(HttpStatusCode.BadRequest, $"invalid value for \"debug\" - the viewer shows the profile itself; {route.Name}?debug={query.Debug} has the text");
        }

        Pprof.Proto.Profile profile;
        using (var reply = route.Handle(request, cancel))
        {
            if (reply.Status != HttpStatusCode.OK) return Repeat(reply);
            profile = ProfileSerializer.Read(new MemoryStream(reply.Body, writable: false));
        }

        // As dotnet pprof's flame does: one handler's async work is one tower unless async=false asks for the plumbing.
        if (query["async"] is not ("false" or "0")) profile = AsyncFrames.Fold(profile);

        var options = new FlameGraphOptions
        {
            Title = $"/debug/pprof/{route.Name}" + (query.HasSeconds ? $"?seconds={query["seconds"]}" : ""),
            SampleType = query["si"] is { Length: > 0 } sampleType ? sampleType : null,
            DownloadLink = query.HasSeconds || Windowed.Contains(route.Name) ? null : "../" + route.Name,
        };
        try
        {
            return PprofReply.Text(FlameGraphPage.Render(profile, options), "text/html; charset=utf-8");
        }
        catch (ArgumentException)
        {
            var types = string.Join(", ", profile.SampleType.Select(type => profile.StringTable[(int)type.Type]));
            throw new PprofRequestException(HttpStatusCode.BadRequest, $"invalid value for \"si\" - the profile's sample types are {types}");
        }
    }

    // An error reply of the route is the viewer's too; its body is copied out before the route's reply is disposed.
    private static PprofReply Repeat(PprofReply reply) =>
        PprofReply.Error(reply.Status, Encoding.UTF8.GetString(reply.Body).TrimEnd('\n'), reply.Headers.Where(header => header.Key is not ("X-Go-Pprof" or "X-Content-Type-Options")).ToArray());

    private string RenderList()
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<link rel=\"icon\" href=\"data:,\">\n<title>/debug/pprof/ui/</title>\n")
            .Append("<style>body{font:14px system-ui,sans-serif;margin:1em 2em} form{margin:.4em 0} button{min-width:9em} input{width:6em} .what{color:#555}</style>\n")
            .Append("</head>\n<body>\n<h1 style=\"font-size:18px\">/debug/pprof/ui/: flame graphs and top tables</h1>\n")
            .Append("<p>Choose a profile. Where a seconds field is empty the profile is the state now; with N it is what the next N seconds add.</p>\n");
        foreach (var route in _profiles)
        {
            var name = WebUtility.HtmlEncode(route.Name);
            var windowed = Windowed.Contains(route.Name);
            html.Append("<form method=\"get\" action=\"").Append(name).Append("\"><button type=\"submit\">").Append(name).Append("</button> ")
                .Append("<label>seconds <input name=\"seconds\" type=\"number\" min=\"1\" step=\"1\"")
                .Append(windowed ? $" value=\"{PprofQuery.DefaultSeconds}\" required" : " placeholder=\"now\"").Append("></label> ")
                .Append("<span class=\"what\">").Append(WebUtility.HtmlEncode(route.Description)).Append("</span></form>\n");
        }

        html.Append("<p><a href=\"../\">/debug/pprof/</a></p>\n</body>\n</html>\n");
        return html.ToString();
    }
}
