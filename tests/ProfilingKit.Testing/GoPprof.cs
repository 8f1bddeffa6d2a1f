using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ProfilingKit.Testing;

/// <summary>
/// Runs the real <c>go tool pprof</c> for interop tests and parses its <c>-top</c> report.
/// </summary>
/// <remarks>
/// Linked into test projects as source. A missing Go is a test failure, not a skip: CI installs
/// Debian's golang-go, and a silently skipped interop test would hide exactly what it guards.
/// Each run gets its own PPROF_TMPDIR (deleted afterwards), so profiles fetched over HTTP are not
/// saved under $HOME/pprof, and TZ=UTC, so the <c>Time:</c> header does not depend on the machine.
/// </remarks>
public static class GoPprof
{
    /// <summary>How long a run may take unless the caller says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly string[] WellKnownGoDirectories = { "/usr/lib/go/bin", "/usr/local/go/bin" };

    private static readonly Lazy<string?> LocatedGo = new(LocateGo);

    /// <summary>The full path of the <c>go</c> executable; throws with install advice when there is none.</summary>
    public static string GoExecutable => LocatedGo.Value ?? throw new InvalidOperationException(
        "Interop tests need the real `go tool pprof`, but no `go` executable was found on PATH, in $GOROOT/bin, " +
        "in " + string.Join(" or in ", WellKnownGoDirectories) + ". Install it: `apt-get install golang-go`.");

    /// <summary>Runs <c>go tool pprof</c> with the arguments, e.g. <c>-top</c>, <c>-sample_index=alloc_objects</c>, a file or a URL.</summary>
    public static ToolResult Run(params string[] arguments) => Run(arguments, DefaultTimeout);

    /// <summary>Runs <c>go tool pprof</c> with the arguments and kills it (with a <see cref="TimeoutException"/>) after the timeout.</summary>
    public static ToolResult Run(IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var tempDirectory = Path.Combine(Path.GetTempPath(), "pprof-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tempDirectory);
        try
        {
            // Outside any Go module, so a go.mod up the tree can never make `go` fetch a toolchain.
            var startInfo = new ProcessStartInfo(GoExecutable) { WorkingDirectory = tempDirectory };
            startInfo.ArgumentList.Add("tool");
            startInfo.ArgumentList.Add("pprof");
            foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
            startInfo.Environment["PPROF_TMPDIR"] = tempDirectory;
            startInfo.Environment["TZ"] = "UTC";
            startInfo.Environment["GOTOOLCHAIN"] = "local";
            return ToolProcess.Run("go", startInfo, timeout);
        }
        finally
        {
            try
            {
                Directory.Delete(tempDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder must not fail the test that used it.
            }
        }
    }

    /// <summary>
    /// What the samples <c>go tool pprof</c> keeps under <paramref name="filters"/> (such as <c>-focus=RE</c>) add up to,
    /// in the default sample type: the flat sum of <c>-top -nodefraction=0</c>, since pprof's total is the whole profile's.
    /// </summary>
    public static double Kept(string profile, params string[] filters) =>
        ParseTop(Run(["-top", "-nodefraction=0", .. filters, profile]).EnsureSuccess().StandardOutput).FlatSum;

    /// <summary>The stacks of a <c>go tool pprof -traces</c> output, each as its text between the separator lines (the header left out).</summary>
    public static IReadOnlyList<string> Stacks(string tracesOutput) =>
        tracesOutput.Split("-----------+-------------------------------------------------------").Skip(1).Where(stack => stack.Trim().Length > 0).ToList();

    /// <summary>
    /// Parses the output of <c>go tool pprof -top</c> (Go 1.19 and later): the <c>Type:</c> and total from the
    /// header and one row per line of the table. Lines that are not part of the report are ignored.
    /// </summary>
    public static TopReport ParseTop(string output)
    {
        if (output is null) throw new ArgumentNullException(nameof(output));

        string? type = null;
        double? total = null;
        var rows = new List<TopRow>();
        foreach (var line in output.Split('\n'))
        {
            var typeMatch = TypeLine.Match(line);
            if (typeMatch.Success)
            {
                type = typeMatch.Groups[1].Value;
                continue;
            }

            var totalMatch = TotalLine.Match(line);
            if (totalMatch.Success)
            {
                total = ParseValue(totalMatch.Groups[1].Value);
                continue;
            }

            var rowMatch = RowLine.Match(line);
            if (rowMatch.Success)
            {
                rows.Add(new TopRow(
                    Flat: ParseValue(rowMatch.Groups["flat"].Value),
                    FlatPercent: ParsePercent(rowMatch.Groups["flatp"].Value),
                    SumPercent: ParsePercent(rowMatch.Groups["sump"].Value),
                    Cum: ParseValue(rowMatch.Groups["cum"].Value),
                    CumPercent: ParsePercent(rowMatch.Groups["cump"].Value),
                    Name: rowMatch.Groups["name"].Value));
            }
        }

        return new TopReport(type, total, rows);
    }

    /// <summary>
    /// Parses a value as pprof prints it, into the profile's base unit: bytes for sizes (<c>976.56kB</c> is
    /// 976.56 × 1024, powers of 1024 as pprof uses them), nanoseconds for times (<c>1.50s</c> is 1.5e9), and the plain
    /// number for counts (<c>16</c>). pprof rounds to two decimals, so compare with a tolerance.
    /// </summary>
    public static double ParseValue(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));

        var match = ValueText.Match(text.Trim());
        if (!match.Success) throw new FormatException($"'{text}' is not a value as pprof prints it.");

        var number = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var unit = match.Groups[2].Value;
        if (unit.Length == 0) return number;
        if (!UnitFactors.TryGetValue(unit, out var factor))
        {
            throw new FormatException($"'{text}' has the unit '{unit}', which this parser does not know.");
        }

        return number * factor;
    }

    private static double ParsePercent(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static readonly Regex TypeLine = new(@"^Type: (\S+)\s*$", RegexOptions.CultureInvariant);

    private static readonly Regex TotalLine = new(@"^Showing nodes accounting for \S+, \S+% of (\S+) total", RegexOptions.CultureInvariant);

    private const string ValuePattern = @"-?\d+(?:\.\d+)?(?:[a-zA-Zμµ]+)?";

    private static readonly Regex RowLine = new(
        $@"^\s*(?<flat>{ValuePattern})\s+(?<flatp>-?[\d.]+)%\s+(?<sump>-?[\d.]+)%\s+(?<cum>{ValuePattern})\s+(?<cump>-?[\d.]+)%\s+(?<name>\S.*?)\s*$",
        RegexOptions.CultureInvariant);

    private static readonly Regex ValueText = new(@"^(-?\d+(?:\.\d+)?)([a-zA-Zμµ]*)$", RegexOptions.CultureInvariant);

    // pprof's own unit table (internal/measurement): sizes in powers of 1024, times down to nanoseconds.
    private static readonly Dictionary<string, double> UnitFactors = new(StringComparer.Ordinal)
    {
        ["B"] = 1,
        ["kB"] = 1L << 10,
        ["MB"] = 1L << 20,
        ["GB"] = 1L << 30,
        ["TB"] = 1L << 40,
        ["PB"] = 1L << 50,
        ["ns"] = 1,
        ["us"] = 1e3,
        ["μs"] = 1e3,
        ["µs"] = 1e3,
        ["ms"] = 1e6,
        ["s"] = 1e9,
        ["mins"] = 60e9,
        ["hrs"] = 3600e9,
    };

    private static string? LocateGo()
    {
        var candidates = new List<string>();
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (directory.Length > 0) candidates.Add(directory);
        }

        var goRoot = Environment.GetEnvironmentVariable("GOROOT");
        if (!string.IsNullOrEmpty(goRoot)) candidates.Add(Path.Combine(goRoot, "bin"));
        candidates.AddRange(WellKnownGoDirectories);

        var executableName = OperatingSystem.IsWindows() ? "go.exe" : "go";
        return candidates.Select(directory => Path.Combine(directory, executableName)).FirstOrDefault(File.Exists);
    }

    /// <summary>A parsed <c>-top</c> report.</summary>
    /// <param name="Type">The sample type from the <c>Type:</c> header line, such as <c>alloc_space</c>.</param>
    /// <param name="Total">The total from "Showing nodes accounting for … of X total", in base units.</param>
    /// <param name="Rows">The table, in pprof's order.</param>
    public sealed record TopReport(string? Type, double? Total, IReadOnlyList<TopRow> Rows)
    {
        /// <summary>The row of the function with exactly this name; throws listing the names when there is none.</summary>
        public TopRow Row(string name) => Rows.FirstOrDefault(row => row.Name == name)
            ?? throw new InvalidOperationException(
                $"pprof -top has no row '{name}'. Rows: {string.Join(", ", Rows.Select(row => row.Name))}");

        /// <summary>
        /// What the rows' flat values add up to: with <c>-nodefraction=0</c> (no row dropped), the samples that
        /// <c>-focus</c> and <c>-ignore</c> kept. <see cref="Total"/> stays the whole profile's under them.
        /// </summary>
        public double FlatSum => Rows.Sum(row => row.Flat);

        /// <summary>The row with the largest cumulative value (the first such row on ties).</summary>
        public TopRow LeaderByCum() => Rows.Count == 0
            ? throw new InvalidOperationException("pprof -top has no rows.")
            : Rows.Aggregate((best, row) => row.Cum > best.Cum ? row : best);
    }

    /// <summary>One row of <c>-top</c>; Flat and Cum are in base units (bytes, nanoseconds or counts), percentages as printed.</summary>
    public sealed record TopRow(double Flat, double FlatPercent, double SumPercent, double Cum, double CumPercent, string Name);
}
