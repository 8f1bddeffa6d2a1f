using System.Text.RegularExpressions;
using ProfilingKit.Pprof;
using ProfilingKit.Testing;

namespace ProfilingKit.Pprof.Tests;

/// <summary>Our profiles, read by the real <c>go tool pprof</c> from a file and over HTTP.</summary>
public sealed class GoPprofInteropTests : IClassFixture<AllocationProfileFiles>
{
    private readonly AllocationProfileFiles _files;

    public GoPprofInteropTests(AllocationProfileFiles files) => _files = files;

    [Fact]
    public void Top_shows_the_default_type_totals_and_order_without_symbolization_warnings()
    {
        var result = GoPprof.Run("-top", _files.GzipPath).EnsureSuccess();

        AssertNoSymbolizationAttempt(result);
        Assert.Contains("File: MyApp.dll\n", result.StandardOutput);
        Assert.Contains("Time: Nov 14, 2023 at 10:13pm (UTC)\n", result.StandardOutput); // GoPprof runs with TZ=UTC
        Assert.Contains("Duration: 30s,", result.StandardOutput);
        AssertTopMatchesProfile(GoPprof.ParseTop(result.StandardOutput), ProfileTypes.AllocSpace);
    }

    [Fact]
    public void Sample_index_switches_to_alloc_objects()
    {
        var result = GoPprof.Run("-sample_index=alloc_objects", "-top", _files.GzipPath).EnsureSuccess();

        AssertNoSymbolizationAttempt(result);
        Assert.NotEqual(AllocationProfile.TopOrder("alloc_objects"), AllocationProfile.TopOrder(ProfileTypes.AllocSpace));
        AssertTopMatchesProfile(GoPprof.ParseTop(result.StandardOutput), "alloc_objects");
    }

    [Fact]
    public void An_uncompressed_profile_reads_like_the_gzip_one()
    {
        var result = GoPprof.Run("-top", _files.RawPath).EnsureSuccess();

        AssertNoSymbolizationAttempt(result);
        AssertTopMatchesProfile(GoPprof.ParseTop(result.StandardOutput), ProfileTypes.AllocSpace);
    }

    [Fact]
    public void Raw_shows_sample_types_values_stacks_locations_and_the_symbolized_mapping()
    {
        var profile = AllocationProfile.Build();

        var result = GoPprof.Run("-raw", _files.GzipPath).EnsureSuccess();

        AssertNoSymbolizationAttempt(result);
        var lines = result.StandardOutput.Split('\n');
        Assert.Contains("PeriodType: space bytes", lines);
        Assert.Contains("Period: 524288", lines);
        Assert.Contains("Time: 2023-11-14 22:13:20 +0000 UTC", lines);
        Assert.Contains("Duration: 30s", lines);
        Assert.Contains("alloc_objects/count alloc_space/bytes[dflt] inuse_objects/count inuse_space/bytes", lines);
        // The mapping covers every location's address, from the lowest to one past the highest.
        var addresses = AllocationProfile.Samples.SelectMany(sample => sample.Stack).Select(ProfileBuilder.SyntheticAddress).ToList();
        Assert.Contains(lines, line => Regex.IsMatch(line, $@"^1: 0x{addresses.Min():x}/0x{addresses.Max() + 1:x}/0x0 MyApp\.dll\s+\[FN\]\[FL\]\[LN\]$"));

        foreach (var sample in profile.Sample)
        {
            // e.g. "         10    1000000          2     200000: 1 2 3 "
            var pattern = @"^\s*" + string.Join(@"\s+", sample.Value) + ": " + string.Join(" ", sample.LocationId) + @"\s*$";
            Assert.Contains(lines, line => Regex.IsMatch(line, pattern));
        }

        foreach (var frame in AllocationProfile.Samples.SelectMany(sample => sample.Stack).Distinct())
        {
            // e.g. "     1: 0xffffd2a9c1e0aa30 M=1 MyApp.Worker.Alloc Worker.cs:45 s=0"; a frame without a file prints " :0".
            // These frames have no code address, so each has its synthetic one.
            var pattern = $@"^\s*\d+: 0x{ProfileBuilder.SyntheticAddress(frame):x} M=1 {Regex.Escape(frame.FunctionName)} {Regex.Escape(frame.FileName ?? "")}:{frame.Line} s=0$";
            Assert.Contains(lines, line => Regex.IsMatch(line, pattern));
        }

        Assert.Contains(lines, line => line.Trim() == "thread:[worker-1]");
        Assert.Contains(lines, line => line.Trim() == "bytes:[100000 bytes]");
    }

    [Fact]
    public void Traces_show_string_labels_and_numeric_labels_in_their_unit()
    {
        var result = GoPprof.Run("-traces", _files.GzipPath).EnsureSuccess();

        AssertNoSymbolizationAttempt(result);
        var lines = result.StandardOutput.Split('\n').Select(line => line.Trim()).ToList();
        var threads = lines.Where(line => line.StartsWith("thread:", StringComparison.Ordinal)).Select(line => line["thread:".Length..].Trim());
        var expectedThreads = AllocationProfile.Samples.Select(sample => sample.Labels.Single(label => label.Key == "thread").Text!);
        Assert.Equal(expectedThreads.Distinct().Order(), threads.Distinct().Order());

        var byteLabels = lines.Where(line => line.StartsWith("bytes:", StringComparison.Ordinal))
            .Select(line => GoPprof.ParseValue(line["bytes:".Length..]))
            .Distinct()
            .Order()
            .ToList();
        var expectedByteLabels = AllocationProfile.Samples
            .SelectMany(sample => sample.Labels)
            .Where(label => label.Key == "bytes")
            .Select(label => (double)label.Number)
            .Distinct()
            .Order()
            .ToList();
        Assert.Equal(expectedByteLabels.Count, byteLabels.Count);
        for (var i = 0; i < byteLabels.Count; i++)
        {
            AssertPrintedValue(expectedByteLabels[i], byteLabels[i], "bytes label");
        }
    }

    [Fact]
    public void Over_http_pprof_fetches_the_profile_once_and_never_asks_for_symbols()
    {
        using var server = new StaticProfileServer(new Dictionary<string, byte[]> { ["/debug/pprof/allocs"] = _files.GzipBytes });
        var url = server.Url("/debug/pprof/allocs");

        var result = GoPprof.Run("-top", url).EnsureSuccess();

        Assert.Equal(new[] { "GET /debug/pprof/allocs" }, server.Requests);
        Assert.DoesNotContain(server.Requests, request => request.Contains("/symbol", StringComparison.Ordinal));
        AssertNoSymbolizationAttempt(result);
        Assert.Contains("Fetching profile over HTTP from " + url, result.StandardError);
        Assert.Contains("pprof-test-", result.StandardError); // "Saved profile in <PPROF_TMPDIR>/pprof.MyApp.dll…", not $HOME/pprof
        AssertTopMatchesProfile(GoPprof.ParseTop(result.StandardOutput), ProfileTypes.AllocSpace);
    }

    private static void AssertTopMatchesProfile(GoPprof.TopReport report, string sampleType)
    {
        var total = AllocationProfile.Total(sampleType);
        Assert.Equal(sampleType, report.Type);
        Assert.NotNull(report.Total);
        AssertPrintedValue(total, report.Total.Value, "total");
        Assert.Equal(AllocationProfile.TopOrder(sampleType), report.Rows.Select(row => row.Name));

        var sum = 0.0;
        foreach (var row in report.Rows)
        {
            var flat = AllocationProfile.Flat(row.Name, sampleType);
            var cum = AllocationProfile.Cum(row.Name, sampleType);
            sum += flat;
            AssertPrintedValue(flat, row.Flat, row.Name + " flat");
            AssertPrintedValue(cum, row.Cum, row.Name + " cum");
            Assert.Equal(100.0 * flat / total, row.FlatPercent, 0.01);
            Assert.Equal(100.0 * cum / total, row.CumPercent, 0.01);
            Assert.Equal(100.0 * sum / total, row.SumPercent, 0.01);
        }

        Assert.Equal(total, AllocationProfile.Cum("Program.Main", sampleType));
        Assert.Equal(report.Row("Program.Main").Cum, report.LeaderByCum().Cum);
    }

    /// <summary>pprof prints two decimals of a unit in which the value is at least 1 (1269.53kB, 1.48MB): at most 0.5% off.</summary>
    private static void AssertPrintedValue(double expected, double printed, string what)
    {
        var tolerance = Math.Max(0.5, Math.Abs(expected) * 0.005);
        Assert.True(Math.Abs(expected - printed) <= tolerance, $"{what}: pprof printed {printed}, expected {expected} ± {tolerance}");
    }

    private static void AssertNoSymbolizationAttempt(ToolResult result)
    {
        Assert.DoesNotContain("Main binary filename not available", result.AllOutput);
        Assert.DoesNotContain("Local symbolization failed", result.AllOutput);
        Assert.DoesNotContain("symbolz", result.AllOutput);
        Assert.DoesNotContain("PPROF_BINARY_PATH", result.AllOutput);
    }
}
