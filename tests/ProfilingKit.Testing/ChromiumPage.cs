using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProfilingKit.Testing;

/// <summary>One tab of <see cref="Chromium"/>: navigation, script evaluation, real mouse input, screenshots, and the events it recorded.</summary>
public sealed class ChromiumPage
{
    private readonly Chromium _browser;
    private readonly List<(string Method, JsonElement Parameters)> _events = [];

    internal ChromiumPage(Chromium browser, string sessionId)
    {
        _browser = browser;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>Every URL the page asked the network for (Network.requestWillBeSent), the page itself included.</summary>
    public List<string> RequestedUrls => Events("Network.requestWillBeSent").Select(e => e.GetProperty("request").GetProperty("url").GetString()!).ToList();

    /// <summary>Console errors, uncaught exceptions and error log entries (a CSP violation, a failed load), as text.</summary>
    public List<string> Errors
    {
        get
        {
            var console = Events("Runtime.consoleAPICalled")
                .Where(e => e.GetProperty("type").GetString() is "error" or "assert")
                .Select(e => "console: " + string.Join(" ", e.GetProperty("args").EnumerateArray().Select(arg => arg.TryGetProperty("value", out var v) ? v.ToString() : arg.ToString())));
            var thrown = Events("Runtime.exceptionThrown").Select(e => "exception: " + e.GetProperty("exceptionDetails"));
            var logged = Events("Log.entryAdded")
                .Where(e => e.GetProperty("entry").GetProperty("level").GetString() == "error")
                .Select(e => "log: " + e.GetProperty("entry").GetProperty("text").GetString());
            return [.. console, .. thrown, .. logged];
        }
    }

    public Task<JsonElement> SendAsync(string method, JsonObject? parameters = null) => _browser.SendAsync(method, parameters, SessionId);

    /// <summary>Navigates and waits for the load event; throws when the navigation itself fails.</summary>
    public Task NavigateAsync(string url) => LoadAfterAsync(url, async () =>
    {
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        if (result.TryGetProperty("errorText", out var error)) throw new InvalidOperationException($"Navigating to {url} failed: {error.GetString()}");
    });

    /// <summary>Runs <paramref name="action"/> (a click on a link, a form's submission) and waits for the load event of the page it leads to.</summary>
    public async Task LoadAfterAsync(string what, Func<Task> action)
    {
        var loaded = Count("Page.loadEventFired");
        await action();
        await WaitForAsync(() => Count("Page.loadEventFired") > loaded, "the load event of " + what);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its value; a thrown exception throws here.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result.TryGetProperty("exceptionDetails", out var details)) throw new InvalidOperationException($"The page threw for `{expression}`: {details}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>A real click (mouse moved, pressed, released) at a point of the viewport.</summary>
    public async Task ClickAsync(double x, double y)
    {
        await Mouse("mouseMoved", x, y);
        await Mouse("mousePressed", x, y);
        await Mouse("mouseReleased", x, y);
    }

    /// <summary>Moves the mouse to a point of the viewport, as hovering does.</summary>
    public Task HoverAsync(double x, double y) => Mouse("mouseMoved", x, y);

    /// <summary>Types <paramref name="text"/> into the focused element, as keystrokes insert it.</summary>
    public Task TypeAsync(string text) => SendAsync("Input.insertText", new JsonObject { ["text"] = text });

    /// <summary>Saves a PNG of the viewport to <paramref name="path"/>; returns its size in bytes.</summary>
    public async Task<long> ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        var bytes = Convert.FromBase64String(shot.GetProperty("data").GetString()!);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllBytesAsync(path, bytes);
        return bytes.Length;
    }

    internal void Record(string method, JsonElement parameters)
    {
        lock (_events) _events.Add((method, parameters.ValueKind == JsonValueKind.Undefined ? default : parameters.Clone()));
    }

    private List<JsonElement> Events(string method)
    {
        lock (_events) return _events.Where(e => e.Method == method).Select(e => e.Parameters).ToList();
    }

    private int Count(string method) => Events(method).Count;

    private Task Mouse(string type, double x, double y) =>
        SendAsync("Input.dispatchMouseEvent", new JsonObject
        {
            ["type"] = type, ["x"] = x, ["y"] = y, ["button"] = type == "mouseMoved" ? "none" : "left", ["clickCount"] = type == "mouseMoved" ? 0 : 1,
        });

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited 30 s for {what}.");
            await Task.Delay(20);
        }
    }
}
