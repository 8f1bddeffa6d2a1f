using System.Globalization;
using System.Text.RegularExpressions;

namespace ProfilingKit.TestProfiles;

/// <summary>
/// A budget of a test run's allocations, declared as a <c>DebugPprofBudget</c> item (its Include names it;
/// the patterns are metadata, since MSBuild expands a <c>*</c> in an Include as a file wildcard): at most
/// <see cref="MaxBytes"/> allocated, and/or at most <see cref="MaxObjects"/> objects, under the functions
/// <see cref="Functions"/> matches (anywhere on the stack, as <c>go tool pprof -focus</c>), in the tests
/// <see cref="Tests"/> matches (their <c>test</c> label). With <see cref="Calls"/>, the limits are per call:
/// the test says how many calls it makes, as Go's <c>testing.AllocsPerRun(runs, f)</c> is told its runs, and
/// the run's estimate is divided by them (allocation sampling does not count calls).
/// Patterns are globs on the full names: <c>*</c> is any run of characters, everything else literal.
/// </summary>
internal sealed class AllocationBudget
{
    private AllocationBudget(string name, string functions, string tests, long? maxBytes, long? maxObjects, long calls)
    {
        Name = name;
        FunctionPattern = functions;
        TestPattern = tests;
        MaxBytes = maxBytes;
        MaxObjects = maxObjects;
        Calls = calls;
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

    /// <summary>At most this many bytes (per call, with <see cref="Calls"/>); null for no limit on bytes.</summary>
    public long? MaxBytes { get; }

    /// <summary>At most this many objects (per call, with <see cref="Calls"/>); null for no limit on objects.</summary>
    public long? MaxObjects { get; }

    /// <summary>How many calls the matched samples are of: 1 when the item says none, so the limits are of the whole run.</summary>
    public long Calls { get; }

    /// <summary>
    /// The budget of one item: <paramref name="name"/> its Include, <paramref name="functions"/> the function
    /// pattern (empty or <c>*</c> for all), <paramref name="test"/> the test pattern (empty for all),
    /// <paramref name="maxBytes"/> a size such as <c>50MB</c>, <c>512kB</c> or <c>1048576</c> (powers of 1024,
    /// as pprof prints them), <paramref name="maxObjects"/> a count, <paramref name="calls"/> a count or empty.
    /// One of the limits must be there. A bad value is an <see cref="ArgumentException"/> whose message says
    /// which item and what it takes.
    /// </summary>
    public static AllocationBudget Parse(string name, string functions, string test, string maxBytes, string maxObjects = "", string calls = "")
    {
        long? bytesLimit = null, objectsLimit = null;
        if (maxObjects.Trim().Length > 0)
        {
            objectsLimit = TryParseCount(maxObjects, out var count) && count >= 0
                ? count
                : throw new ArgumentException($"the budget '{name}' has MaxObjects '{maxObjects}', which is not a count: write a whole number (200).");
        }

        if (maxBytes.Trim().Length > 0 || objectsLimit is null)
        {
            bytesLimit = TryParseSize(maxBytes, out var bytes)
                ? bytes
                : throw new ArgumentException($"the budget '{name}' has MaxBytes '{maxBytes}', which is not a size: write bytes (1048576) or a number with B, kB, MB or GB (50MB, 1.5GB; powers of 1024), or give MaxObjects instead.");
        }

        var callCount = 1L;
        if (calls.Trim().Length > 0 && !(TryParseCount(calls, out callCount) && callCount > 0))
        {
            throw new ArgumentException($"the budget '{name}' has Calls '{calls}', which is not a count of calls: write how many calls its test makes, a whole number above 0 (1000).");
        }

        return new AllocationBudget(name, functions.Trim(), test.Trim(), bytesLimit, objectsLimit, callCount);
    }

    private static bool TryParseCount(string text, out long count) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out count);

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
