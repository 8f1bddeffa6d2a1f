using System.Globalization;
using System.Net;

namespace ProfilingKit.Http;

/// <summary>Reads the query parameters Go's handlers take, with Go's 400 messages for bad values.</summary>
internal static class PprofQuery
{
    /// <summary>Go's default window of the CPU profile.</summary>
    public const int DefaultSeconds = 30;

    /// <summary><c>debug=N</c>, 0 when absent.</summary>
    public static int Debug(HttpListenerRequest request) => NonNegativeInt(request, "debug");

    /// <summary>The parameter <paramref name="name"/> as a non-negative integer, 0 when absent.</summary>
    public static int NonNegativeInt(HttpListenerRequest request, string name)
    {
        var text = request.QueryString[name];
        if (string.IsNullOrEmpty(text)) return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;

        throw new PprofRequestException(HttpStatusCode.BadRequest, $"invalid value for \"{name}\" - must be a non-negative integer");
    }

    /// <summary>Go's default window of the execution trace.</summary>
    public const double DefaultTraceSeconds = 1;

    /// <summary>True when the request has a non-empty <c>seconds</c>.</summary>
    public static bool HasSeconds(HttpListenerRequest request) => !string.IsNullOrEmpty(request.QueryString["seconds"]);

    /// <summary>
    /// <c>seconds=N</c> (or <paramref name="defaultSeconds"/> when absent) as a window no longer than
    /// <paramref name="maxSeconds"/>; <paramref name="note"/> says so when the request was cut.
    /// </summary>
    public static TimeSpan Window(HttpListenerRequest request, int defaultSeconds, int maxSeconds, out string? note)
    {
        long seconds = defaultSeconds;
        var text = request.QueryString["seconds"];
        if (!string.IsNullOrEmpty(text)
            && (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds <= 0))
        {
            throw new PprofRequestException(HttpStatusCode.BadRequest, "invalid value for \"seconds\" - must be a positive integer");
        }

        note = null;
        if (seconds > maxSeconds)
        {
            note = $"ProfilingKit: {seconds} s were requested; the window was cut to the endpoint's maximum of {maxSeconds} s ({PprofEndpointSettings.MaxSecondsVariable}).";
            seconds = maxSeconds;
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>
    /// The window of <c>trace</c>, whose <c>seconds</c> Go reads as a float (<c>trace?seconds=0.5</c>),
    /// default 1, cut to <paramref name="maxSeconds"/>. Go falls back to 1 s on a bad value; a 400
    /// says what is wrong instead, as for the other windows here.
    /// </summary>
    public static TimeSpan TraceWindow(HttpListenerRequest request, int maxSeconds)
    {
        var seconds = DefaultTraceSeconds;
        var text = request.QueryString["seconds"];
        if (!string.IsNullOrEmpty(text)
            && (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds) || !(seconds > 0)))
        {
            throw new PprofRequestException(HttpStatusCode.BadRequest, "invalid value for \"seconds\" - must be a positive number");
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, maxSeconds));
    }
}
