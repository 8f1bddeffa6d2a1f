using System.Text.RegularExpressions;
using ProfilingKit.Testing;

namespace ProfilingKit.Tests;

/// <summary>
/// Allocations in the body of a <c>for</c> loop in optimized code (Tier-1 after warm-up, OSR, and
/// everything under DOTNET_TieredCompilation=0), read through the real <c>go tool pprof -list</c>:
/// the bytes belong to the line that allocates, not to the loop's <c>for</c> line, where the
/// JIT's map puts that code.
/// </summary>
public abstract class OptimizedLoopLinesTests
{
    private readonly AppFixture _app;

    protected OptimizedLoopLinesTests(AppFixture app) => _app = app;

    [Theory]
    [InlineData("Osr100", "new byte[100]")]
    [InlineData("Osr1K", "new byte[1024]")]
    [InlineData("Osr80K", "new byte[80 * 1024]")]
    [InlineData("Warmed100", "new byte[100]")]
    [InlineData("Warmed1K", "new byte[1024]")]
    [InlineData("Warmed80K", "new byte[80 * 1024]")]
    public void List_puts_the_loop_s_allocations_on_the_allocating_line(string method, string allocation)
    {
        var listing = GoPprof.Run("-list", @"LoopAllocations\." + method + "$", _app.Url("allocs")).EnsureSuccess().StandardOutput;

        // The truth from the source: the one line of the method that allocates, and its for line.
        var rows = Rows(listing);
        var allocating = Assert.Single(rows, row => row.Source.Contains(allocation, StringComparison.Ordinal));
        var loop = Assert.Single(rows, row => row.Source.TrimStart().StartsWith("for (", StringComparison.Ordinal));
        var total = rows.Sum(row => row.Flat);

        // The method's own megabytes are there (sampled, with array headers and warm-up calls on top).
        Assert.True(total >= 0.6 * LoopAppFixture.Megabytes * 1024 * 1024, $"{total} bytes in:\n{listing}");
        Assert.True(allocating.Flat >= 0.95 * total, $"line {allocating.Line} has {allocating.Flat} of {total} bytes:\n{listing}");
        Assert.True(loop.Flat <= 0.05 * total, $"the for line {loop.Line} has {loop.Flat} of {total} bytes:\n{listing}");
    }

    /// <summary>The source rows of one ROUTINE of <c>-list</c>: flat, line number and text.</summary>
    private static List<(double Flat, int Line, string Source)> Rows(string listing)
    {
        var routines = Regex.Matches(listing, "^ROUTINE ", RegexOptions.Multiline).Count;
        Assert.True(routines == 1, "expected one ROUTINE in:\n" + listing);
        return Regex.Matches(listing, @"^\s+(?<flat>\S+)\s+(?<cum>\S+)\s+(?<line>\d+):(?<source>.*)$", RegexOptions.Multiline)
            .Select(match => (
                Flat: match.Groups["flat"].Value == "." ? 0 : GoPprof.ParseValue(match.Groups["flat"].Value),
                Line: int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                Source: match.Groups["source"].Value))
            .ToList();
    }
}

/// <summary>The loop allocations with the runtime's default settings: OSR and Tier-1 code.</summary>
public sealed class TieredLoopLinesTests(TieredLoopAppFixture app) : OptimizedLoopLinesTests(app), IClassFixture<TieredLoopAppFixture>;

/// <summary>The loop allocations under DOTNET_TieredCompilation=0: all fully optimized from the start.</summary>
public sealed class FullOptsLoopLinesTests(FullOptsLoopAppFixture app) : OptimizedLoopLinesTests(app), IClassFixture<FullOptsLoopAppFixture>;

/// <summary>One AllocatingApp process that allocates <see cref="Megabytes"/> MB in each LoopAllocations method.</summary>
public abstract class LoopAppFixture : AppFixture
{
    public const int Megabytes = 16;

    protected LoopAppFixture(IDictionary<string, string>? environment)
        : base(megabytes: 1, busy: false, environment, loopMegabytes: Megabytes)
    {
        WaitForSettledAllocations("LoopAllocations.Warmed80K");
    }
}

public sealed class TieredLoopAppFixture() : LoopAppFixture(null);

public sealed class FullOptsLoopAppFixture() : LoopAppFixture(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" });
