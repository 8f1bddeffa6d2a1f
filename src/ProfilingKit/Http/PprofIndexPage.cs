using System.Net;
using System.Text;

namespace ProfilingKit.Http;

/// <summary>The HTML index at /debug/pprof/, laid out like Go's: live counts, debug=1 links, descriptions.</summary>
internal static class PprofIndexPage
{
    public static string Render(IReadOnlyList<PprofRoute> profiles)
    {
        var html = new StringBuilder();
        html.Append("<html>\n<head>\n<title>/debug/pprof/</title>\n")
            .Append("<style>.profile-name{display:inline-block; width:6rem;}</style>\n")
            .Append("</head>\n<body>\n/debug/pprof/\n<br>\n<p>Set debug=1 as a query parameter to export in legacy text format</p>\n<br>\n")
            .Append("Types of profiles available:\n<table>\n<thead><td>Count</td><td>Profile</td></thead>\n");
        foreach (var profile in profiles)
        {
            html.Append("<tr><td>").Append(profile.Count()).Append("</td><td><a href='")
                .Append(WebUtility.HtmlEncode(profile.Name)).Append("?debug=1'>")
                .Append(WebUtility.HtmlEncode(profile.Name)).Append("</a></td></tr>\n");
        }

        html.Append("</table>\n");
        if (profiles.Any(profile => profile.Name == "goroutine"))
        {
            html.Append("<a href='goroutine?debug=2'>full goroutine stack dump</a>\n"); // Go's link, one block per managed thread here
        }

        html.Append("<br>\n<p>\nProfile Descriptions:\n<ul>\n");
        foreach (var profile in profiles)
        {
            html.Append("<li><div class=profile-name>").Append(WebUtility.HtmlEncode(profile.Name))
                .Append(": </div> ").Append(WebUtility.HtmlEncode(profile.Description)).Append("</li>\n");
        }

        html.Append("</ul>\n</p>\n<p><a href='ui/'>Flame graphs and top tables in the browser</a> (no Go needed).</p>\n<p>Served by ProfilingKit for .NET: open a profile with <code>go tool pprof</code>.</p>\n</body>\n</html>\n");
        return html.ToString();
    }
}
