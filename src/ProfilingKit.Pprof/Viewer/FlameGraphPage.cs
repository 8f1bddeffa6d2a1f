using System.Net;
using System.Reflection;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Viewer;

/// <summary>
/// One self-contained HTML page for a profile: an interactive flame graph, a top table and source
/// lines, with its script, style and data inline and a Content-Security-Policy that allows no
/// request at all, so the page works from a file, offline, and leaks nothing. The tool's
/// <c>flame</c>/<c>web</c>/<c>-http</c> and the endpoint's <c>/debug/pprof/ui/</c> both render it here.
/// </summary>
public static class FlameGraphPage
{
    private const string DataMarker = "/*PROFILE_DATA*/";
    private const string TitleMarker = "<!--TITLE-->";

    private static readonly Lazy<string> Template = new(LoadTemplate);

    /// <summary>The page for <paramref name="profile"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="FlameGraphOptions.SampleType"/> names a type the profile does not have.</exception>
    public static string Render(Profile profile, FlameGraphOptions? options = null)
    {
        using var html = new StringWriter();
        Write(profile, html, options);
        return html.ToString();
    }

    /// <summary>Writes the page for <paramref name="profile"/> to <paramref name="html"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="FlameGraphOptions.SampleType"/> names a type the profile does not have.</exception>
    public static void Write(Profile profile, TextWriter html, FlameGraphOptions? options = null)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));
        if (html is null) throw new ArgumentNullException(nameof(html));
        options ??= new FlameGraphOptions();

        var data = FlameGraphData.Of(profile);
        var template = Template.Value;
        var title = template.IndexOf(TitleMarker, StringComparison.Ordinal);
        var marker = template.IndexOf(DataMarker, StringComparison.Ordinal);
        html.Write(template.Substring(0, title));
        html.Write(WebUtility.HtmlEncode(options.Title));
        html.Write(template.Substring(title + TitleMarker.Length, marker - title - TitleMarker.Length));
        data.WriteJson(html, options);
        html.Write(template.Substring(marker + DataMarker.Length));
    }

    private static string LoadTemplate()
    {
        const string name = "ProfilingKit.Pprof.Viewer.FlameGraphPage.html";
        using var stream = typeof(FlameGraphPage).GetTypeInfo().Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The assembly lacks its resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
