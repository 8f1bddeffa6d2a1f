using System.Globalization;
using System.Text.RegularExpressions;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// A budget of a test run's allocations, declared as a <c>DebugPprofBudget</c> item (its Include names it;
/// the patterns are metadata, since MSBuild expands a <c>*</c> in an Include as a file wildcard): at most
/// <see cref="MaxBytes"/> allocated under the functions <see cref="Functions"/> matches (anywhere on the
/// stack, as <c>go tool pprof -focus</c>), in the tests <see cref="Tests"/> matches (their <c>test</c> label).
/// Patterns are globs on the full names: <c>*</c> is any run of characters, everything else literal.
/// </summary>
internal sealed class AllocationBudget
{
    private AllocationBudget(string name, string functions, string tests, long maxBytes)
    {
        Name = name;
        FunctionPattern = functions;
        TestPattern = tests;
        MaxBytes = maxBytes;
        Functions = functions.Length == 0 || functions == "*" ? null : Glob(functions);
        Tests = tests.Length == 0 ? null : Glob(tests);
    }

    /// <summary>How messages name it: the item's Include.</summary>
    public string Name { get; }

    public string FunctionPattern { get; }

    public string TestPattern { get; }

    /// <summary>Null: every sample.</summary>
    public Regex? Functions { get; }

    /// <summary>Null: every test, and the samples outside tests.</summary>
    public Regex? Tests { get; }

    public long MaxBytes { get; }

    /// <summary>
    /// The budget of one item: <paramref name="name"/> its Include, <paramref name="functions"/> the function
    /// pattern (empty or <c>*</c> for all), <paramref name="test"/> the test pattern (empty for all),
    /// <paramref name="maxBytes"/> a size such as <c>50MB</c>, <c>512kB</c> or <c>1048576</c> (powers of 1024,
    /// as pprof prints them). A bad size is an <see cref="ArgumentException"/> whose message says which item and what it takes.
    /// </summary>
    public static AllocationBudget Parse(string name, string functions, string test, string maxBytes)
    {
        if (!TryParseSize(maxBytes, out var bytes))
        {
            throw new ArgumentException($"the budget '{name}' has MaxBytes '{maxBytes}', which is not a size: write bytes (1048576) or a number with B, kB, MB or GB (50MB, 1.5GB; powers of 1024).");
        }

        return new AllocationBudget(name, functions.Trim(), test.Trim(), bytes);
    }

    /// <summary>"50MB", "1.5 GB", "512kB", "1048576": bytes, in powers of 1024.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var match = Regex.Match(text.Trim(), @"^(?<number>\d+(\.\d+)?)\s*(?<unit>B|[kKMG]i?B)?$", RegexOptions.CultureInvariant);
        if (!match.Success) return false;

        var number = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var scale = match.Groups["unit"].Value.ToUpperInvariant().TrimEnd('B').TrimEnd('I') switch
        {
            "" => 1L,
            "K" => 1L << 10,
            "M" => 1L << 20,
            _ => 1L << 30,
        };
        bytes = (long)Math.Round(number * scale);
        return true;
    }

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
}
