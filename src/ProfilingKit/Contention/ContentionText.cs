using System.Globalization;
using System.Text;
using ProfilingKit.Symbols;
using ProfilingKit.Threads;

namespace ProfilingKit.Contention;

/// <summary>
/// The debug=1 text of block and mutex in Go's legacy contention layout (runtime/pprof
/// printCountCycleProfile): <c>--- contention:</c> (or <c>--- mutex:</c>), <c>cycles/second</c>,
/// then per waiter stack <c>DELAY COUNT @ PC…</c> and its frames. Our delays are nanoseconds, so
/// cycles/second is 1e9 and pprof's legacy parser turns them back into time.
/// </summary>
internal static class ContentionText
{
    public static string Render(string header, IReadOnlyList<ContentionSite> sites, Func<ulong, CodeLocation?> locate, string note)
    {
        var text = new StringBuilder();
        text.Append("--- ").Append(header).Append(":\ncycles/second=1000000000\nsampling period=1\n# ").Append(note).Append('\n');
        foreach (var site in sites.OrderByDescending(site => site.DelayNanos))
        {
            CountProfileText.AppendRecord(text, string.Create(CultureInfo.InvariantCulture, $"{site.DelayNanos} {site.Count}"), site.Stack, locate);
        }

        return text.ToString();
    }
}
