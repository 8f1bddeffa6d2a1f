using System.Text.Json;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// The page <c>dotnet pprof flame</c> writes, loaded from a file in real headless Chromium: it must
/// work offline, show the profile's biggest allocator, zoom, search, and run no markup from names.
/// </summary>
public class FlameGraphBrowserTests(ITestOutputHelper output)
{
    private static readonly Frame Main = new("Program.Main", "Program.cs", 10);
    private static readonly Frame MoveNext = new("Program+<Main>d__0.MoveNext", "Program.cs", 14);
    private static readonly Frame Fill = new("MyApp.Cache.Fill", "Cache.cs", 42);
    private static readonly Frame Concat = new("System.String.Concat");
    private static readonly Frame Add = new("System.Collections.Generic.List<System.String>.Add");
    private static readonly Frame Hostile = new("</script><script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\">&amp;");

    /// <summary>Fill allocates most: 700,000 of 1,000,000 bytes, itself.</summary>
    private static byte[] Allocs()
    {
        var builder = new ProfileBuilder(ProfileTypes.Memory, "MyApp.dll")
            .SetPeriod(ProfileTypes.MemoryPeriod, 524288)
            .SetDefaultSampleType(ProfileTypes.AllocSpace);
        builder.AddSample([Fill, MoveNext, Main], [7, 700_000, 0, 0]);
        builder.AddSample([Concat, MoveNext, Main], [40, 200_000, 0, 0]);
        builder.AddSample([Add, MoveNext, Main], [50, 90_000, 0, 0]);
        builder.AddSample([Hostile, Main], [3, 10_000, 0, 0]);
        return ProfileSerializer.ToGzipBytes(builder.Build());
    }

    [Fact]
    public async Task The_page_from_a_file_shows_the_biggest_allocator_zooms_into_it_and_searches()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults", "flame");
        Directory.CreateDirectory(folder);
        var html = Path.Combine(folder, "allocs.html");
        var run = ToolRun.Of("flame", "-o", html, Fixtures.WriteFile(Allocs()));
        Assert.Equal(0, run.ExitCode);
        var url = new Uri(html).AbsoluteUri;

        await using var browser = await Chromium.StartAsync();
        var page = await browser.NewPageAsync();
        await page.NavigateAsync(url);

        Assert.Empty(page.Errors);
        Assert.Equal([url], page.RequestedUrls.Distinct());
        Assert.Equal(JsonValueKind.Undefined, (await page.EvaluateAsync("window.__xss")).ValueKind);
        Assert.Equal(Hostile.FunctionName, (await page.EvaluateAsync(FrameText(Hostile))).GetString());

        // The biggest allocator heads the top table and is drawn at 70% of the width.
        Assert.Equal(Fill.FunctionName, (await page.EvaluateAsync("document.querySelector('#top tbody tr td.name').textContent")).GetString());
        var width = (await page.EvaluateAsync("document.getElementById('flame').clientWidth")).GetDouble();
        var before = await Rect(page, Fill);
        Assert.InRange(before.Width / width, 0.69, 0.71);

        // Hovering shows name, value and share, and the source line.
        await page.HoverAsync(before.X + before.Width / 2, before.Y + before.Height / 2);
        var tooltip = (await page.EvaluateAsync("document.getElementById('tooltip').textContent")).GetString()!;
        Assert.Contains(Fill.FunctionName, tooltip);
        Assert.Contains("683.59kB (70.00% of 976.56kB)", tooltip);
        Assert.Contains("Cache.cs:42", tooltip);

        // A real click zooms: the frame spans the full width.
        await page.ClickAsync(before.X + before.Width / 2, before.Y + before.Height / 2);
        var zoomed = await Rect(page, Fill);
        Assert.InRange(zoomed.Width, width - 1, width + 1);
        Assert.Contains("Cache.cs:42", (await page.EvaluateAsync("document.getElementById('detail').textContent")).GetString());

        var shot = Path.Combine(folder, "flame-zoomed.png");
        Assert.True(await page.ScreenshotAsync(shot) > 1000);
        output.WriteLine($"screenshot: {shot}");
        Console.WriteLine($"flame graph screenshot: {shot}");

        // The root frame zooms back out.
        var root = await Rect(page, "root");
        await page.ClickAsync(root.X + 5, root.Y + root.Height / 2);
        Assert.InRange((await Rect(page, Fill)).Width / width, 0.69, 0.71);

        // Search highlights the matching frames and shows their share.
        await page.EvaluateAsync("document.getElementById('search').focus()");
        await page.TypeAsync("String");
        var matched = await page.EvaluateAsync("[...document.querySelectorAll('.frame.match')].map(e => e.textContent).sort().join('|')");
        Assert.Equal($"{Add.FunctionName}|{Concat.FunctionName}", matched.GetString());
        Assert.Equal("matched: 283.20kB (29.00%)", (await page.EvaluateAsync("document.getElementById('match').textContent")).GetString());

        // Another sample type redraws the graph and the table: by objects Add leads.
        await page.EvaluateAsync("(() => { const s = document.getElementById('sample-type'); s.value = '0'; s.dispatchEvent(new Event('change')); })()");
        Assert.Equal(Add.FunctionName, (await page.EvaluateAsync("document.querySelector('#top tbody tr td.name').textContent")).GetString());
        Assert.Equal("total 100 alloc_objects", (await page.EvaluateAsync("document.getElementById('summary').textContent")).GetString());

        await page.ScreenshotAsync(Path.Combine(folder, "flame-search.png"));
        Assert.Empty(page.Errors);
        Assert.Equal([url], page.RequestedUrls.Distinct());
    }

    private static string FrameText(Frame frame) =>
        $"[...document.querySelectorAll('.frame')].map(e => e.textContent).find(t => t === {JsonSerializer.Serialize(frame.FunctionName)})";

    private static Task<(double X, double Y, double Width, double Height)> Rect(ChromiumPage page, Frame frame) => Rect(page, frame.FunctionName);

    private static async Task<(double X, double Y, double Width, double Height)> Rect(ChromiumPage page, string name)
    {
        var rect = await page.EvaluateAsync(
            $"(() => {{ const e = [...document.querySelectorAll('.frame')].find(e => e.textContent === {JsonSerializer.Serialize(name)}); if (!e) return null; const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }})()");
        Assert.True(rect.ValueKind == JsonValueKind.Array, $"no frame {name} on the page");
        return (rect[0].GetDouble(), rect[1].GetDouble(), rect[2].GetDouble(), rect[3].GetDouble());
    }
}
