using System.Globalization;
using System.Net;

namespace ProfilingKit.Http;

/// <summary>
/// The query parameters Go's handlers take, read as Go's <c>r.FormValue</c> reads them (the first
/// value of a name; <c>+</c> is a space), with Go's 400 messages for bad values.
/// </summary>
internal sealed class PprofQuery
{
    /// <summary>Go's default window of the CPU profile.</summary>
    public const int DefaultSeconds = 30;

    /// <summary>Go's default window of the execution trace.</summary>
    public const double DefaultTraceSeconds = 1;

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public PprofQuery(string rawQuery)
    {
        foreach (var pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var name = Unescape(equals < 0 ? pair : pair.Substring(0, equals));
            var value = equals < 0 ? string.Empty : Unescape(pair.Substring(equals + 1));
            _values.TryAdd(name, value);
        }
    }

    /// <summary>The first value of <paramref name="name"/>, or null when absent.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    /// <summary><c>debug=N</c>, 0 when absent.</summary>
    public int Debug => NonNegativeInt("debug");

    /// <summary>True when the request has a non-empty <c>seconds</c>.</summary>
    public bool HasSeconds => !string.IsNullOrEmpty(this["seconds"]);

    /// <summary>The parameter <paramref name="name"/> as a non-negative integer, 0 when absent.</summary>
    public int NonNegativeInt(string name)
    {
        var text = this[name];
        if (string.IsNullOrEmpty(text)) return 0;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return value;

        throw new PprofRequestException(HttpStatusCode.BadRequest, $"invalid value for \"{name}\" - must be a non-negative integer");
    }

    /// <summary>
    /// <c>seconds=N</c> (or <paramref name="defaultSeconds"/> when absent) as a window no longer than
    /// <paramref name="maxSeconds"/>; <paramref name="note"/> says so when the request was cut.
    /// </summary>
    public TimeSpan Window(int defaultSeconds, int maxSeconds, out string? note)
    {
        long seconds = defaultSeconds;
        var text = this["seconds"];
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
    public TimeSpan TraceWindow(int maxSeconds)
    {
        var seconds = DefaultTraceSeconds;
        var text = this["seconds"];
        if (!string.IsNullOrEmpty(text)
            && (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds) || !(seconds > 0)))
        {
            throw new PprofRequestException(HttpStatusCode.BadRequest, "invalid value for \"seconds\" - must be a positive number");
        }

        return TimeSpan.FromSeconds(Math.Min(seconds, maxSeconds));
    }

    private static string Unescape(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
