using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AnalyzerBench;

/// <summary>
/// Reads what run.sh left in a results folder — runs.tsv (round, configuration, wall seconds, load
/// average) and per run the text build log (-v:d, ReportAnalyzer and PerformanceSummary) and the
/// SARIF error log — and prints Markdown: the summary table (medians), the per-analyzer cost of
/// ProfilingKit's rules, each peer's costliest analyzers, and every run.
/// </summary>
public static partial class Summary
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The configurations in table order: name, label, the analyzer assemblies that are the package's own.</summary>
    private static readonly (string Name, string Label, string[] AssemblyPrefixes)[] Configurations =
    [
        ("none", "(a) no analyzer package (baseline)", []),
        ("profilingkit", "(b) ProfilingKit analyzers (defaults)", ["ProfilingKit."]),
        ("meziantou", "(c) Meziantou.Analyzer 3.0.321 (defaults)", ["Meziantou."]),
        ("roslynator", "(d) Roslynator.Analyzers 5.0.1 (defaults)", ["Roslynator"]),
        ("profilingkit-everywhere", "(b') ProfilingKit, `report_outside_hot_places = true`", ["ProfilingKit."]),
        ("probes", "(p) do-nothing probes (bench/analyzers/probes)", ["Probes"]),
    ];

    private sealed record Run(
        string Configuration, int Round, double WallSeconds, double CpuSeconds, string Load, double CscSeconds,
        double TotalAnalyzerSeconds, double PackageSeconds, IReadOnlyDictionary<string, double> PackageAnalyzers,
        IReadOnlyDictionary<string, int> DiagnosticsByRule);

    public static string Render(string dir)
    {
        var runs = new List<Run>();
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "runs.tsv")))
        {
            var f = line.Split('\t');
            if (f.Length < 5 || f[0] == "round") continue;
            var round = int.Parse(f[0], Inv);
            var configuration = f[1];
            var prefixes = Configurations.First(c => c.Name == configuration).AssemblyPrefixes;
            var stem = Path.Combine(dir, $"{configuration}.{round}");
            var log = File.ReadAllText(stem + ".log");
            var (total, package, analyzers) = ParseReportAnalyzer(log, prefixes);
            runs.Add(new Run(configuration, round, double.Parse(f[2], Inv), double.Parse(f[3], Inv), f[4], ParseCscSeconds(log), total, package, analyzers, CountDiagnostics(stem + ".sarif")));
        }

        var sb = new StringBuilder();
        var baseline = runs.Where(r => r.Configuration == "none").ToList();
        var baseWall = Median(baseline.Select(r => r.WallSeconds));
        var baseCpu = Median(baseline.Select(r => r.CpuSeconds));
        var baseCsc = Median(baseline.Select(r => r.CscSeconds));

        sb.AppendLine("| Configuration | Runs | Build wall | Δ wall vs (a) | Build CPU (user+sys) | Δ CPU vs (a) | Csc task | Δ Csc vs (a) | Package analyzer time (ReportAnalyzer) | Package analyzer time / Csc | Diagnostics from the package |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var (name, label, prefixes) in Configurations)
        {
            var rs = runs.Where(r => r.Configuration == name).ToList();
            if (rs.Count == 0) continue;
            var wall = Median(rs.Select(r => r.WallSeconds));
            var cpu = Median(rs.Select(r => r.CpuSeconds));
            var csc = Median(rs.Select(r => r.CscSeconds));
            var package = Median(rs.Select(r => r.PackageSeconds));
            var share = Median(rs.Select(r => r.PackageSeconds / r.CscSeconds));
            var isBaseline = name == "none";
            sb.Append(Inv, $"| {label} | {rs.Count} | {wall:F1} s | {(isBaseline ? "—" : Signed(wall - baseWall, baseWall))} | {cpu:F1} s | {(isBaseline ? "—" : Signed(cpu - baseCpu, baseCpu))} | {csc:F1} s | {(isBaseline ? "—" : Signed(csc - baseCsc, baseCsc))} | ");
            sb.Append(isBaseline ? "— | — | " : Invariant($"{package:F2} s | **{share * 100:F1} %** | "));
            sb.AppendLine(isBaseline ? Diagnostics(rs[0], null) : Diagnostics(rs[0], prefixes));
        }

        sb.AppendLine();
        sb.AppendLine("Time per analyzer (ReportAnalyzer, median of the runs; the ids it reports in parentheses):");
        sb.AppendLine();
        foreach (var (name, label, _) in Configurations.Where(c => c.Name != "none"))
        {
            var rs = runs.Where(r => r.Configuration == name).ToList();
            if (rs.Count == 0) continue;
            var keys = rs.SelectMany(r => r.PackageAnalyzers.Keys).Distinct();
            var medians = keys.Select(k => (Name: k, Seconds: Median(rs.Select(r => r.PackageAnalyzers.GetValueOrDefault(k)))))
                .OrderByDescending(x => x.Seconds).ToList();
            var shown = name.StartsWith("profilingkit", StringComparison.Ordinal) ? medians : medians.Take(5).ToList();
            sb.Append(Inv, $"- {label}: ");
            sb.Append(string.Join("; ", shown.Select(x => Invariant($"{x.Name} {x.Seconds:F2} s"))));
            if (shown.Count < medians.Count) sb.Append(Inv, $"; … {medians.Count - shown.Count} more, together {medians.Skip(shown.Count).Sum(x => x.Seconds):F2} s");
            sb.AppendLine();
        }

        sb.AppendLine();
        sb.AppendLine("Every run, in the order run (load average: 1-minute value when the build started, on 2 cores):");
        sb.AppendLine();
        sb.AppendLine("| Round | Configuration | Load | Wall | CPU | Csc | All analyzers (incl. the SDK's) | Package analyzers | Package / Csc |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
        {
            sb.AppendLine(Invariant($"| {r.Round} | {r.Configuration} | {r.Load} | {r.WallSeconds:F1} s | {r.CpuSeconds:F1} s | {r.CscSeconds:F1} s | {r.TotalAnalyzerSeconds:F2} s | {r.PackageSeconds:F2} s | {r.PackageSeconds / r.CscSeconds * 100:F1} % |"));
        }

        return sb.ToString();
    }

    private static string Invariant(FormattableString s) => s.ToString(Inv);

    private static string Signed(double seconds, double of) =>
        (seconds >= 0 ? "+" : "−") + Math.Abs(seconds).ToString("F1", Inv) + " s (" + (seconds >= 0 ? "+" : "−") + Math.Abs(seconds / of * 100).ToString("F0", Inv) + " %)";

    private static string Diagnostics(Run run, string[]? packagePrefixes)
    {
        // Package diagnostics are recognized by rule id: PK (ProfilingKit), MA (Meziantou), RCS (Roslynator).
        var ids = run.Configuration switch
        {
            "profilingkit" or "profilingkit-everywhere" => "PK",
            "meziantou" => "MA",
            "roslynator" => "RCS",
            "probes" => "PROBE",
            _ => null,
        };
        var own = run.DiagnosticsByRule.Where(p => ids is not null && p.Key.StartsWith(ids, StringComparison.Ordinal)).ToList();
        var other = run.DiagnosticsByRule.Where(p => ids is null || !p.Key.StartsWith(ids, StringComparison.Ordinal)).Sum(p => p.Value);
        if (packagePrefixes is null) return Invariant($"{other} (compiler and SDK) |");
        var top = own.OrderByDescending(p => p.Value).Take(4).Select(p => Invariant($"{p.Key} {p.Value}"));
        return Invariant($"{own.Sum(p => p.Value)} in {own.Count} rules ({string.Join(", ", top)}{(own.Count > 4 ? ", …" : "")}) |");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The Csc line of MSBuild's Task Performance Summary (-clp:PerformanceSummary).</summary>
    private static double ParseCscSeconds(string log)
    {
        var match = CscTaskLine().Match(log);
        if (!match.Success) throw new InvalidDataException("no 'Csc' line in the Task Performance Summary (was -clp:PerformanceSummary given?)");
        return double.Parse(match.Groups[1].Value, Inv) / 1000;
    }

    /// <summary>
    /// The csc /reportanalyzer block: "Total analyzer execution time: X seconds." then one line per
    /// analyzer assembly (it has ", Version=") followed by one line per analyzer type in it.
    /// </summary>
    private static (double Total, double Package, Dictionary<string, double> Analyzers) ParseReportAnalyzer(string log, string[] packagePrefixes)
    {
        var lines = log.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains("Total analyzer execution time:", StringComparison.Ordinal));
        if (start < 0) throw new InvalidDataException("no 'Total analyzer execution time' in the log (was -p:ReportAnalyzer=true -v:d given?)");
        var total = double.Parse(TotalLine().Match(lines[start]).Groups[1].Value, Inv);
        double package = 0;
        var analyzers = new Dictionary<string, double>(StringComparer.Ordinal);
        var inPackage = false;
        for (var i = start + 1; i < lines.Length; i++)
        {
            if (lines[i].Contains("Total generator execution time:", StringComparison.Ordinal)) break;
            var match = TimeLine().Match(lines[i]);
            if (!match.Success) continue;
            var seconds = match.Groups[1].Value.StartsWith('<') ? 0 : double.Parse(match.Groups[1].Value, Inv);
            var name = match.Groups[2].Value.Trim();
            if (name.Contains(", Version=", StringComparison.Ordinal))
            {
                inPackage = packagePrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
                if (inPackage) package += seconds;
            }
            else if (inPackage)
            {
                // "Namespace.TypeName (ID1, ID2)" -> "TypeName (ID1, ID2)"
                var paren = name.IndexOf(" (", StringComparison.Ordinal);
                var typeName = paren < 0 ? name : name[..paren];
                var shortName = typeName[(typeName.LastIndexOf('.') + 1)..] + (paren < 0 ? "" : ShortIds(name[paren..]));
                analyzers[shortName] = analyzers.GetValueOrDefault(shortName) + seconds;
            }
        }

        return (total, package, analyzers);
    }

    private static string ShortIds(string ids)
    {
        var list = ids.Trim(' ', '(', ')').Split(", ");
        return list.Length <= 3 ? " (" + string.Join(", ", list) + ")" : Invariant($" ({list[0]}, {list[1]} and {list.Length - 2} more)");
    }

    private static Dictionary<string, int> CountDiagnostics(string sarifPath)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!File.Exists(sarifPath)) return counts;
        using var doc = JsonDocument.Parse(File.ReadAllText(sarifPath));
        foreach (var run in doc.RootElement.GetProperty("runs").EnumerateArray())
        {
            if (!run.TryGetProperty("results", out var results)) continue;
            foreach (var result in results.EnumerateArray())
            {
                var id = result.GetProperty("ruleId").GetString() ?? "?";
                counts[id] = counts.GetValueOrDefault(id) + 1;
            }
        }

        return counts;
    }

    [GeneratedRegex(@"^\s*(\d+)\s+ms\s+Csc\s+\d+\s+calls", RegexOptions.Multiline)]
    private static partial Regex CscTaskLine();

    [GeneratedRegex(@"Total analyzer execution time:\s*([\d.]+)\s*seconds")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"^\s*(<?[\d.]+)\s+(?:<?\d+)\s{2,}(\S.*?)\s*$")]
    private static partial Regex TimeLine();
}
