using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ProfilingKit.Pprof;
using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Tool;

/// <summary>
/// Reads a profile from a file or from a URL: a ProfilingKit endpoint (with its token) or any Go
/// program's /debug/pprof/. As go tool pprof does, a URL without a path means
/// <c>/debug/pprof/profile</c> and <c>-seconds N</c> becomes <c>?seconds=N</c>.
/// </summary>
internal sealed class ProfileSources(TextWriter status, bool interactive)
{
    /// <summary>The variable the endpoint reads its token from; the tool sends it as a bearer token when the URL has none.</summary>
    public const string TokenVariable = "PROFILINGKIT_PPROF_TOKEN";

    private const string DefaultProfilePath = "/debug/pprof/profile";

    /// <summary>How long a fetch may take beyond its <c>-seconds</c>, as go tool pprof allows.</summary>
    private static readonly TimeSpan FetchSlack = TimeSpan.FromSeconds(60);

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="ToolException">The file is missing or unreadable, the URL fails or does not answer with a profile.</exception>
    public Profile Load(string source, int? seconds)
    {
        var (bytes, what) = IsUrl(source) ? Fetch(source, seconds) : (ReadFile(source), source);
        try
        {
            return ProfileSerializer.Read(new MemoryStream(bytes, writable: false));
        }
        catch (InvalidDataException e)
        {
            throw new ToolException($"{what} is not a pprof profile: {e.Message}");
        }
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ToolException($"{path}: no such file");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ToolException($"{path}: {e.Message}");
        }
    }

    private (byte[] Bytes, string What) Fetch(string source, int? seconds)
    {
        if (!Uri.TryCreate(source, UriKind.Absolute, out var uri)) throw new ToolException($"{source} is not a URL");

        var builder = new UriBuilder(uri) { UserName = "", Password = "" };
        if (builder.Path is "" or "/") builder.Path = DefaultProfilePath;
        if (seconds is { } window) builder.Query = WithSeconds(builder.Query, window);
        var target = builder.Uri;
        var shown = target.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);

        using var request = new HttpRequestMessage(HttpMethod.Get, target);
        request.Headers.Authorization = Authorization(uri);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(seconds ?? 0) + FetchSlack };

        status.WriteLine($"Fetching profile over HTTP from {shown}");
        using var countdown = seconds is { } length ? Countdown.Start(status, interactive, length) : null;
        try
        {
            using var response = http.Send(request, HttpCompletionOption.ResponseContentRead);
            var body = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            countdown?.Finish();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new ToolException($"{shown} answered {(int)response.StatusCode} {response.ReasonPhrase}{FirstLine(body)}");
            }

            return (body, shown);
        }
        catch (HttpRequestException e)
        {
            throw new ToolException($"{shown}: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new ToolException($"{shown} did not answer within {http.Timeout.TotalSeconds:0} s");
        }
    }

    /// <summary>The URL's password as basic authentication (the endpoint accepts any user name), else the token variable as a bearer token.</summary>
    private static AuthenticationHeaderValue? Authorization(Uri uri)
    {
        if (uri.UserInfo.Length > 0)
        {
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(uri.UserInfo))));
        }

        var token = Environment.GetEnvironmentVariable(TokenVariable);
        return string.IsNullOrEmpty(token) ? null : new AuthenticationHeaderValue("Bearer", token);
    }

    private static string WithSeconds(string query, int seconds)
    {
        var kept = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !pair.StartsWith("seconds=", StringComparison.Ordinal));
        return string.Join('&', kept.Append($"seconds={seconds}"));
    }

    private static string FirstLine(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 512)).Trim();
        var end = text.IndexOfAny(['\r', '\n']);
        if (end >= 0) text = text[..end];
        return text.Length == 0 ? "" : ": " + text;
    }

    /// <summary>
    /// Seconds left of a <c>-seconds</c> window, on the status stream: in place once a second at a
    /// terminal, a line about every five seconds (at 5, 10, … left) when the stream goes to a file or a pipe.
    /// </summary>
    private sealed class Countdown : IDisposable
    {
        private readonly TextWriter _status;
        private readonly bool _interactive;
        private readonly Timer _timer;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly int _seconds;
        private int _lastShown;
        private bool _finished;

        private Countdown(TextWriter status, bool interactive, int seconds)
        {
            _status = status;
            _interactive = interactive;
            _seconds = seconds;
            _lastShown = seconds;
            _timer = new Timer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
            Show(seconds);
        }

        public static Countdown Start(TextWriter status, bool interactive, int seconds) => new(status, interactive, seconds);

        public void Finish()
        {
            lock (_timer)
            {
                if (_finished) return;
                _finished = true;
                if (_interactive) _status.WriteLine();
            }
        }

        public void Dispose()
        {
            _timer.Dispose();
            Finish();
        }

        private void Tick()
        {
            lock (_timer)
            {
                if (_finished) return;
                var left = Math.Max(0, _seconds - (int)_clock.Elapsed.TotalSeconds);
                // Off a terminal, a line each time the count passes a multiple of five; a tick the busy
                // thread pool runs late must not skip the line.
                if (left == _lastShown || (!_interactive && left > 0 && (left - 1) / 5 == (_lastShown - 1) / 5)) return;
                _lastShown = left;
                Show(left);
            }
        }

        private void Show(int left)
        {
            var text = left > 0 ? $"{left} s left" : "waiting for the profile";
            if (_interactive) _status.Write($"\r{text,-24}");
            else _status.WriteLine(text);
        }
    }
}
