using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>
/// Checks that a profile's Go <c>debug=1</c> text, read by the real go tool pprof, has the totals of the
/// binary profile of the same moment: pprof's legacy parser must not rescale values that are estimates or
/// exact counts already (issue 16's 25 GB read from a 107 MB heap).
/// </summary>
internal static class LegacyTextRoundTrip
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Fetches the binary profile at <paramref name="url"/>, its debug=1 text, and the binary again. The text
    /// was made between the two binaries, so pprof must read its total between theirs: equal when nothing
    /// moved (threadcreate, heap), between the two when the counts grow (block, mutex, allocs), and within a
    /// thread of them for goroutine, whose threads may start or end in between.
    /// A rescaled text (the bug) misses by orders of magnitude.
    /// </summary>
    public static async Task AssertSameTotalsAsync(string url, string sampleIndex)
    {
        var path = Path.Combine(Path.GetTempPath(), $"pk-legacy-{Guid.NewGuid():N}.txt");
        try
        {
            var before = Total(url, sampleIndex);
            File.WriteAllText(path, await Http.GetStringAsync(url + (url.Contains('?') ? "&" : "?") + "debug=1"));
            var after = Total(url, sampleIndex);
            var text = Total(path, sampleIndex);

            Assert.True(before > 0, $"{url}: nothing to compare, the binary profile's {sampleIndex} total is 0");
            // pprof prints three significant digits (1.48MB): compare within its rounding. Goroutines are the
            // threads now, which come and go between fetches: one either way is the app, not the text.
            var slack = sampleIndex == "goroutine" ? 1 : 0;
            Assert.InRange(text, Math.Min(before, after) * 0.99 - slack, Math.Max(before, after) * 1.01 + slack);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Total(string source, string sampleIndex) =>
        GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=" + sampleIndex, source).EnsureSuccess().StandardOutput).Total
        ?? throw new InvalidOperationException($"go tool pprof printed no total for {source}");
}
