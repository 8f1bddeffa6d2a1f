using ProfilingKit.Testing;

namespace ProfilingKit.Pprof.Tests;

/// <summary>The shared test helper's reading of pprof's text, which other test projects rely on.</summary>
public sealed class GoPprofParsingTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("16", 16)]
    [InlineData("512B", 512)]
    [InlineData("4kB", 4096)]
    [InlineData("976.56kB", 976.56 * 1024)]
    [InlineData("1.20MB", 1.2 * 1024 * 1024)]
    [InlineData("12GB", 12.0 * 1024 * 1024 * 1024)]
    [InlineData("-612.35kB", -612.35 * 1024)]
    [InlineData("1.50s", 1.5e9)]
    [InlineData("250ms", 2.5e8)]
    [InlineData("10us", 1e4)]
    [InlineData("7ns", 7)]
    [InlineData("2.50hrs", 2.5 * 3600e9)]
    public void Values_are_read_in_base_units(string text, double expected)
    {
        Assert.Equal(expected, GoPprof.ParseValue(text), 1e-6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("kB")]
    [InlineData("12XB")]
    [InlineData("1,5MB")]
    public void Unknown_values_are_rejected(string text)
    {
        Assert.Throws<FormatException>(() => GoPprof.ParseValue(text));
    }

    [Fact]
    public void Top_report_gives_type_total_and_rows_in_order()
    {
        // Go 1.19 output shape, including the trailing space after "Total samples = …".
        const string output = """
            File: MyApp.dll
            Type: alloc_space
            Time: Nov 14, 2023 at 10:13pm (UTC)
            Duration: 30s, Total samples = 1.48MB 
            Showing nodes accounting for 1.48MB, 100% of 1.48MB total
            Dropped 3 nodes (cum <= 7.59kB)
                  flat  flat%   sum%        cum   cum%
              976.56kB 79.74% 79.74%   976.56kB 79.74%  MyApp.Worker.Alloc Worker.cs:45
              244.14kB 19.93% 99.67%   244.14kB 19.93%  InlinedHelper (inline)
                   4kB  0.33%   100%  1224.70kB   100%  MyApp.Worker.Run
                     0     0%   100%  1224.70kB   100%  Program.Main

            """;

        var report = GoPprof.ParseTop(output);

        Assert.Equal("alloc_space", report.Type);
        Assert.Equal(1.48 * 1024 * 1024, report.Total!.Value, 1e-6);
        Assert.Equal(
            new[] { "MyApp.Worker.Alloc Worker.cs:45", "InlinedHelper (inline)", "MyApp.Worker.Run", "Program.Main" },
            report.Rows.Select(row => row.Name));
        var alloc = report.Rows[0];
        Assert.Equal(976.56 * 1024, alloc.Flat, 1e-6);
        Assert.Equal(79.74, alloc.FlatPercent, 1e-9);
        Assert.Equal(79.74, alloc.SumPercent, 1e-9);
        Assert.Equal(976.56 * 1024, alloc.Cum, 1e-6);
        Assert.Equal(79.74, alloc.CumPercent, 1e-9);
        Assert.Equal(0, report.Row("Program.Main").Flat);
        Assert.Equal(100, report.Row("Program.Main").SumPercent);
        Assert.Equal("MyApp.Worker.Run", report.LeaderByCum().Name);
        Assert.Throws<InvalidOperationException>(() => report.Row("Missing.Function"));
    }

    [Fact]
    public void Top_report_of_counts_and_times()
    {
        const string output = """
            Type: cpu
            Duration: 3s, Total samples = 1.50s (50.00%)
            Showing nodes accounting for 1.50s, 100% of 1.50s total
                  flat  flat%   sum%        cum   cum%
                 1.50s   100%   100%      1.50s   100%  InlinedHelper (inline)
                     0     0%   100%      1.50s   100%  Hot
            """;

        var report = GoPprof.ParseTop(output);

        Assert.Equal("cpu", report.Type);
        Assert.Equal(1.5e9, report.Total!.Value, 1e-3);
        Assert.Equal(new[] { 1.5e9, 0 }, report.Rows.Select(row => row.Flat));
        Assert.Equal("InlinedHelper (inline)", report.LeaderByCum().Name);
    }
}
