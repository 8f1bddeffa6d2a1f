using System.Text.Json;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.Tests;

/// <summary>/debug/pprof/ui/ of a live app in real headless Chromium: the list, then the allocs page chosen from it.</summary>
public class ViewerBrowserTests(AllocatingAppFixture app, ITestOutputHelper output) : IClassFixture<AllocatingAppFixture>
{
    [Fact]
    public async Task Choosing_allocs_on_the_list_shows_the_apps_biggest_allocator_without_errors()
    {
        await using var browser = await Chromium.StartAsync();
        var page = await browser.NewPageAsync();

        await page.NavigateAsync(app.Url("ui/"));
        await page.LoadAfterAsync("ui/allocs", () => page.EvaluateAsync("document.querySelector('form[action=allocs] button').click()"));

        Assert.Equal(app.Url("ui/allocs?seconds="), (await page.EvaluateAsync("location.href")).GetString());
        Assert.Empty(page.Errors);
        Assert.All(page.RequestedUrls, url => Assert.StartsWith(app.Url("ui/"), url));
        Assert.Equal("/debug/pprof/allocs", (await page.EvaluateAsync("document.getElementById('title').textContent")).GetString());
        Assert.Equal(AllocatingAppProcess.KnownMethod, (await page.EvaluateAsync("document.querySelector('#top tbody tr td.name').textContent")).GetString());
        var frame = await page.EvaluateAsync(
            $"[...document.querySelectorAll('.frame')].some(e => e.textContent === {JsonSerializer.Serialize(AllocatingAppProcess.KnownMethod)})");
        Assert.True(frame.GetBoolean(), "the known method has a frame in the flame graph");

        var shot = Path.Combine(AppContext.BaseDirectory, "TestResults", "viewer", "endpoint-allocs.png");
        Assert.True(await page.ScreenshotAsync(shot) > 1000);
        output.WriteLine($"screenshot: {shot}");
        Console.WriteLine($"endpoint flame graph screenshot: {shot}");
    }

    [Fact]
    public async Task A_cpu_window_of_an_idle_app_renders_in_its_unit_without_errors()
    {
        await using var browser = await Chromium.StartAsync();
        var page = await browser.NewPageAsync();

        await page.NavigateAsync(app.Url("ui/profile?seconds=1"));

        Assert.Empty(page.Errors);
        Assert.Equal("/debug/pprof/profile?seconds=1", (await page.EvaluateAsync("document.getElementById('title').textContent")).GetString());
        Assert.Matches(@"^total [0-9.]+(ns|us|ms|s) cpu$", (await page.EvaluateAsync("document.getElementById('summary').textContent")).GetString());
        Assert.True((await page.EvaluateAsync("document.querySelectorAll('.frame').length")).GetInt32() >= 1, "the root frame at least");
    }
}
