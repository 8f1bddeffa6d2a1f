using System.Globalization;
using System.Text.RegularExpressions;
using ProfilingKit.Testing;

namespace ProfilingKit.Tool.Tests;

/// <summary>
/// <c>dotnet pprof convert</c> on traces the real dotnet-trace recorded of a known workload, each result
/// opened in the real <c>go tool pprof</c>; and the one clear line, exit code 1 and untouched output of every bad input.
/// </summary>
public class ConvertCommandTests(DotnetTraceRecordings traces) : IClassFixture<DotnetTraceRecordings>
{
    [Fact]
    public void An_allocation_trace_becomes_the_allocs_profile_with_the_known_method_on_top_and_the_total_it_allocated()
    {
        var output = Path.Combine(traces.NewFolder(), "allocs.pb.gz");
        var run = ToolRun.Of("convert", traces.Allocations.TracePath, "-o", output);

        Assert.True(run.ExitCode == 0, run.Status);
        Assert.Equal(output, run.Output.Trim());
        Assert.Matches(@"to the allocs profile: [\d,]+ AllocationSampled samples, [\d,]+ stacks, estimated [\d.]+ MB allocated", run.Status);

        var top = GoPprof.Run("-top", "-sample_index=alloc_space", output).EnsureSuccess();
        var report = GoPprof.ParseTop(top.StandardOutput);
        Assert.Equal("alloc_space", report.Type);
        Assert.Equal(DotnetTraceRecordings.KnownMethod, report.Rows[0].Name);
        var allocated = traces.Allocations.AllocatedBytes;
        var known = report.Rows[0].Flat;
        Assert.InRange(known / allocated, 0.85, 1.15); // about 2,000 samples: σ about 2%
        Assert.InRange(report.Total!.Value / allocated, 0.9, 1.3); // the rest of the app allocated little
        Assert.Contains("ProfilingKit: allocations sampled by the .NET runtime (AllocationSampled", top.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("ProfilingKit: converted from AllocatingApp_allocs.nettrace by dotnet pprof convert.", top.StandardOutput, StringComparison.Ordinal);

        // Go's allocs sample types and period, as the endpoint serves them.
        var raw = GoPprof.Run("-raw", output).EnsureSuccess().StandardOutput;
        Assert.Contains("PeriodType: space bytes", raw, StringComparison.Ordinal);
        Assert.Contains("alloc_objects/count alloc_space/bytes[dflt] inuse_objects/count inuse_space/bytes", raw, StringComparison.Ordinal);

        // file:line from the app's PDB beside it: pprof's -list shows the allocating line with the bytes.
        var list = GoPprof.Run("-list", Regex.Escape(DotnetTraceRecordings.KnownMethod), "-sample_index=alloc_space", output).EnsureSuccess().StandardOutput;
        Assert.Matches(@"\n\s+\d+(\.\d+)?MB\s+\d+(\.\d+)?MB\s+\d+:\s+Sink = new byte\[1000\];", list);
    }

    [Fact]
    public void A_default_dotnet_trace_session_becomes_the_cpu_profile_with_the_burning_method_on_top()
    {
        var output = Path.Combine(traces.NewFolder(), "cpu.pb.gz");
        var run = ToolRun.Of("convert", traces.Cpu.TracePath, "-o", output);

        Assert.True(run.ExitCode == 0, run.Status);
        Assert.Contains("to the cpu profile: ", run.Status, StringComparison.Ordinal); // no AllocationSampled in dotnet-trace's defaults

        var top = GoPprof.Run("-top", output).EnsureSuccess().StandardOutput;
        var report = GoPprof.ParseTop(top);
        Assert.Equal("cpu", report.Type);
        Assert.Equal(DotnetTraceRecordings.SeventyPercentMethod, report.Rows[0].Name);
        var seventy = report.Row(DotnetTraceRecordings.SeventyPercentMethod).Flat;
        var thirty = report.Row("AllocatingApp.BusyWork.ThirtyPercent").Flat;
        Assert.InRange(seventy / thirty, 1.5, 4.0); // 7:3 of the loop's iterations

        // One thread burned for the three seconds the app was busy: its CPU time is that, never more than the trace lasted.
        var duration = Duration(top);
        var burning = CumOf(DotnetTraceRecordings.BurningMethod, output);
        Assert.InRange(burning, 2.0e9, duration * 1.05);
        Assert.Contains("ProfilingKit: CPU time of managed code. The runtime's SampleProfiler samples every managed thread", top, StringComparison.Ordinal);
    }

    [Fact]
    public void Wall_time_of_the_same_trace_holds_the_sleeping_thread_for_as_long_as_it_slept()
    {
        var output = Path.Combine(traces.NewFolder(), "wall.pb.gz");
        var run = ToolRun.Of("convert", "-profile", "wall", traces.Cpu.TracePath, "-o", output);

        Assert.True(run.ExitCode == 0, run.Status);
        var top = GoPprof.Run("-top", output).EnsureSuccess().StandardOutput;
        Assert.Equal("wall", GoPprof.ParseTop(top).Type);
        Assert.InRange(CumOf("AllocatingApp.BusyWork.Park", output), 2.0e9, Duration(top) * 1.05);
    }

    [Fact]
    public void A_contention_trace_becomes_the_block_profile_of_the_contending_threads()
    {
        var output = Path.Combine(traces.NewFolder(), "block.pb.gz");
        var run = ToolRun.Of("convert", traces.Contention.TracePath, "-o", output);

        Assert.True(run.ExitCode == 0, run.Status);
        Assert.Contains("to the contention profile: ", run.Status, StringComparison.Ordinal);
        var delay = GoPprof.ParseTop(GoPprof.Run("-top", output).EnsureSuccess().StandardOutput);
        Assert.Equal("delay", delay.Type);
        Assert.True(delay.Row(DotnetTraceRecordings.ContendingMethod).Cum > 0.3e9, "two threads waited for each other about 25 times a second for two seconds, ~20 ms each");
        var contentions = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=contentions", output).EnsureSuccess().StandardOutput);
        Assert.InRange(contentions.Row(DotnetTraceRecordings.ContendingMethod).Cum, 10, 200);
    }

    [Fact]
    public void Without_o_the_profile_goes_beside_the_trace_and_its_path_is_printed()
    {
        var trace = traces.CopyTrace(traces.Allocations, name: "myapp_20261203_130800.nettrace");
        var run = ToolRun.Of("convert", trace);

        Assert.True(run.ExitCode == 0, run.Status);
        var expected = Path.Combine(Path.GetDirectoryName(trace)!, "myapp.allocs.pb.gz");
        Assert.Equal(expected, run.Output.Trim());
    }

    [Fact]
    public void The_mapping_is_the_traced_apps_path_from_the_command_line_the_trace_records()
    {
        // dotnet-trace ran `dotnet .../AllocatingApp.dll`: the mapping names that file, as the endpoint does in process,
        // not the trace's name, which a namespace pattern of -focus or -ignore would match.
        var output = Path.Combine(traces.NewFolder(), "allocs.pb.gz");
        Assert.Equal(0, ToolRun.Of("convert", traces.Allocations.TracePath, "-o", output).ExitCode);

        Assert.Contains("File: AllocatingApp.dll\n", GoPprof.Run("-top", output).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
        Assert.Contains($" {Path.Combine(AppContext.BaseDirectory, "AllocatingApp.dll")}  [FN][FL][LN]", GoPprof.Run("-raw", output).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_trace_is_one_line_and_exit_1()
    {
        var folder = traces.NewFolder();
        var run = ToolRun.Of("convert", Path.Combine(folder, "nothing.nettrace"), "-o", Path.Combine(folder, "out.pb.gz"));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("no trace at ", run.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public void A_file_that_is_not_a_nettrace_is_one_line_and_exit_1()
    {
        var profile = Fixtures.WriteFile(Fixtures.SmallAllocsGzip()); // the likeliest mistake: a profile given as the trace
        var output = Path.Combine(Path.GetDirectoryName(profile)!, "out.pb.gz");
        var run = ToolRun.Of("convert", profile, "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not a readable nettrace file: it does not start with 'Nettrace'", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_truncated_trace_is_one_line_and_exit_1_and_leaves_an_existing_output_as_it_was()
    {
        var trace = traces.CopyTrace(traces.Allocations, (int)(new FileInfo(traces.Allocations.TracePath).Length / 2));
        var output = Path.Combine(Path.GetDirectoryName(trace)!, "out.pb.gz");
        File.WriteAllText(output, "an earlier profile");
        var run = ToolRun.Of("convert", trace, "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is truncated", run.Error, StringComparison.Ordinal);
        Assert.Equal("an earlier profile", File.ReadAllText(output));
        Assert.Equal(new[] { output, trace }.Order(StringComparer.Ordinal), Directory.GetFiles(Path.GetDirectoryName(trace)!).Order(StringComparer.Ordinal)); // no partial file left
    }

    [Fact]
    public void A_trace_without_the_events_says_how_to_record_them()
    {
        var output = Path.Combine(traces.NewFolder(), "out.pb.gz");
        var run = ToolRun.Of("convert", traces.LoaderOnly.TracePath, "-o", output);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("has no AllocationSampled, thread-sample or contention events", run.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet-trace collect --clrevents allocationsampling -- APP", run.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet-trace collect -- APP", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_profile_the_trace_has_no_events_for_names_them_and_the_command_that_records_them()
    {
        var run = ToolRun.Of("convert", "-profile", "contention", traces.Allocations.TracePath, "-o", Path.Combine(traces.NewFolder(), "out.pb.gz"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("no ContentionStart/ContentionStop events", run.Error, StringComparison.Ordinal);
        Assert.Contains("dotnet-trace collect --clrevents contention -- APP", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_gc_verbose_trace_says_its_allocation_ticks_are_not_allocation_samples()
    {
        var run = ToolRun.Of("convert", "-profile", "allocs", traces.GcVerbose.TracePath, "-o", Path.Combine(traces.NewFolder(), "out.pb.gz"));

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"has no AllocationSampled events .* It has [\d,]+ GCAllocationTick events \(keyword GC at Verbose, what dotnet-trace's gc-verbose profile records\)", run.Error);
        Assert.Contains("dotnet-trace collect --clrevents allocationsampling -- APP", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_profile_name_is_one_line_and_exit_1()
    {
        var run = ToolRun.Of("convert", "-profile", "heap", "trace.nettrace");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("-profile heap is not a profile convert makes; choose allocs, cpu, wall or contention", run.Error);
    }

    [Fact]
    public void Convert_without_a_trace_says_how_it_is_used()
    {
        var run = ToolRun.Of("convert");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("convert needs a trace: dotnet pprof convert TRACE.nettrace", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_convert_and_its_flags()
    {
        var help = ToolRun.Of("-help").Output;

        Assert.Contains("convert TRACE ", help, StringComparison.Ordinal);
        Assert.Contains("-profile KIND     convert: allocs, cpu, wall or contention", help, StringComparison.Ordinal);
    }

    private static double CumOf(string function, string profile) =>
        GoPprof.ParseTop(GoPprof.Run("-top", "-cum", "-nodecount=1000", profile).EnsureSuccess().StandardOutput).Row(function).Cum;

    /// <summary>The <c>Duration:</c> of pprof's header, in nanoseconds.</summary>
    private static double Duration(string top)
    {
        var match = Regex.Match(top, @"Duration: (\S+),");
        Assert.True(match.Success, top);
        return GoPprof.ParseValue(match.Groups[1].Value);
    }
}
