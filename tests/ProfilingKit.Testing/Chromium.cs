using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProfilingKit.Testing;

/// <summary>
/// Real headless Chromium, driven over the Chrome DevTools Protocol with the BCL's ClientWebSocket:
/// one browser process with its own profile folder, one socket, pages as flattened target sessions.
/// A missing browser is a test failure, not a skip: CI installs Debian's chromium, and a skipped
/// browser test would hide exactly what it guards.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly string _userDataDirectory;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentDictionary<string, ChromiumPage> _pages = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly StringBuilder _stderr = new();
    private Task _receiving = Task.CompletedTask;
    private int _nextId;

    private Chromium(Process process, string userDataDirectory)
    {
        _process = process;
        _userDataDirectory = userDataDirectory;
    }

    /// <summary>The browser's executable: PROFILINGKIT_CHROMIUM, else chromium or chromium-browser on PATH; throws with install advice when there is none.</summary>
    public static string Executable
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("PROFILINGKIT_CHROMIUM");
            if (!string.IsNullOrEmpty(configured)) return configured;
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .SelectMany(directory => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(directory, name)))
                .FirstOrDefault(File.Exists);
            return found ?? throw new InvalidOperationException(
                "Browser tests need headless Chromium, but no chromium was found on PATH (or in PROFILINGKIT_CHROMIUM). Install it: `apt-get install chromium`.");
        }
    }

    /// <summary>Starts the browser and connects to it; it prints its DevTools address on stderr.</summary>
    public static async Task<Chromium> StartAsync()
    {
        var userData = Path.Combine(Path.GetTempPath(), "pk-chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(userData);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-port=0",
            "--window-size=1200,900", $"--user-data-dir={userData}", "about:blank",
        })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        var browser = new Chromium(process, userData);
        var address = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (browser._stderr) browser._stderr.AppendLine(e.Data);
            const string marker = "DevTools listening on ";
            var at = e.Data.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0) address.TrySetResult(e.Data[(at + marker.Length)..].Trim());
        };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();

        try
        {
            var url = await address.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await browser._socket.ConnectAsync(new Uri(url), CancellationToken.None);
            browser._receiving = Task.Run(browser.ReceiveAsync);
            return browser;
        }
        catch (TimeoutException)
        {
            var stderr = browser.StandardError;
            await browser.DisposeAsync();
            throw new InvalidOperationException("Chromium printed no DevTools address within 30 s; its stderr:\n" + stderr);
        }
    }

    /// <summary>What the browser has written to stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>A new blank tab, attached, with the Page, Runtime, Log and Network domains on so its events are recorded from the start.</summary>
    public async Task<ChromiumPage> NewPageAsync()
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true });
        var page = new ChromiumPage(this, attached.GetProperty("sessionId").GetString()!);
        _pages[page.SessionId] = page;
        foreach (var domain in new[] { "Page", "Runtime", "Log", "Network" }) await page.SendAsync(domain + ".enable");
        return page;
    }

    /// <summary>Sends one command (to a page's session when <paramref name="sessionId"/> is given) and waits for its result; a protocol error throws.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, string? sessionId = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null) message["sessionId"] = sessionId;
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        lock (_socket)
        {
            // One send at a time on a ClientWebSocket.
            _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).GetAwaiter().GetResult();
        }

        try
        {
            var reply = await answer.Task.WaitAsync(CommandTimeout);
            if (reply.TryGetProperty("error", out var error)) throw new InvalidOperationException($"{method} failed: {error}");
            return reply.GetProperty("result").Clone();
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open) await SendAsync("Browser.close").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or WebSocketException)
        {
            // The browser is killed below anyway.
        }

        try
        {
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _socket.Dispose();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _process.Dispose();
        try
        {
            Directory.Delete(_userDataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A crash dump still being written; the temp folder is the OS's to clean.
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        while (!_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, _closing.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                break;
            }

            if (result.MessageType == WebSocketMessageType.Close) break;
            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage) continue;

            using (var document = JsonDocument.Parse(message.ToArray()))
            {
                var root = document.RootElement.Clone();
                if (root.TryGetProperty("id", out var id))
                {
                    if (_pending.TryGetValue(id.GetInt32(), out var answer)) answer.TrySetResult(root);
                }
                else if (root.TryGetProperty("sessionId", out var session) && _pages.TryGetValue(session.GetString()!, out var page))
                {
                    page.Record(root.GetProperty("method").GetString()!, root.TryGetProperty("params", out var parameters) ? parameters : default);
                }
            }

            message.SetLength(0);
        }

        foreach (var answer in _pending.Values) answer.TrySetException(new InvalidOperationException("The browser closed its DevTools connection; its stderr:\n" + StandardError));
    }
}
