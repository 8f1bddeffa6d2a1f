using ProfilingKit.Testing;

namespace ProfilingKit.Build.Tests;

public class ConvertTraceToPprofTests : IClassFixture<RecordedTrace>, IClassFixture<InliningRecordedTrace>
{
    private readonly RecordedTrace _trace;
    private readonly InliningRecordedTrace _inliningTrace;

    public ConvertTraceToPprofTests(RecordedTrace trace, InliningRecordedTrace inliningTrace)
    {
        _trace = trace;
        _inliningTrace = inliningTrace;
    }

    [Fact]
    public void A_real_trace_becomes_a_profile_that_go_tool_pprof_reads_with_the_known_method_and_its_bytes()
    {
        var (task, engine) = Run(_trace.TraceDirectory);

        Assert.Empty(engine.Warnings);
        Assert.True(File.Exists(task.ProfilePath), "the task writes the profile");
        var top = GoPprof.ParseTop(GoPprof.Run("-top", "-sample_index=alloc_space", task.ProfilePath).EnsureSuccess().StandardOutput);
        Assert.Equal("alloc_space", top.Type);
        var known = top.Row(RecordedTrace.KnownMethod);
        Assert.InRange(known.Flat, _trace.AllocatedBytes * 0.85, _trace.AllocatedBytes * 1.15);
    }

    [Fact]
    public void The_profile_has_the_file_and_line_of_the_allocation_from_the_pdb()
    {
        var (task, _) = Run(_trace.TraceDirectory);

        var lines = GoPprof.Run("-top", "-lines", task.ProfilePath).EnsureSuccess().StandardOutput;
        var row = lines.Split('\n').FirstOrDefault(line => line.Contains(RecordedTrace.KnownMethod, StringComparison.Ordinal));
        Assert.NotNull(row);
        var program = ProgramSourcePath(task);
        Assert.Contains($"Program.cs:{RecordedTrace.AllocatingLine(program)}", row, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trace_with_inline_trees_gives_the_inlined_method_as_an_inline_frame_above_its_caller()
    {
        var (task, _) = Run(_inliningTrace.TraceDirectory);

        var traces = GoPprof.Run("-traces", task.ProfilePath).EnsureSuccess().StandardOutput.Split('\n');
        var inlined = Array.FindIndex(traces, line => line.TrimEnd().EndsWith(InliningRecordedTrace.InlinedMethod + " (inline)", StringComparison.Ordinal));
        Assert.True(inlined >= 0, "no inlined frame in:\n" + string.Join('\n', traces));
        Assert.Equal(InliningRecordedTrace.InliningMethod, traces[inlined + 1].Trim());
        Assert.Contains("[IN]", GoPprof.Run("-raw", task.ProfilePath).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trace_without_inline_trees_has_no_inline_frames()
    {
        var (task, _) = Run(_trace.TraceDirectory);

        Assert.DoesNotContain("(inline)", GoPprof.Run("-traces", task.ProfilePath).EnsureSuccess().StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_log_names_the_profile_the_estimated_total_and_the_top_functions()
    {
        var (task, engine) = Run(_trace.TraceDirectory);

        var log = string.Join("\n", engine.HighMessages);
        Assert.Contains(task.ProfilePath, log, StringComparison.Ordinal);
        Assert.Contains("ProfilingKit: estimated ", log, StringComparison.Ordinal);
        Assert.Contains("MB allocated", log, StringComparison.Ordinal);
        // At most 5: this 40 MB run may sample fewer distinct functions than that (seen in CI).
        Assert.Matches("top [1-5] functions by alloc_space", log);
        Assert.Contains(RecordedTrace.KnownMethod + " (Program.cs:", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Focus_keeps_only_the_samples_with_a_matching_frame()
    {
        var (task, engine) = Run(_trace.TraceDirectory, focus: "^AllocatingApp\\.KnownAllocations\\.");

        Assert.Empty(engine.Warnings);
        var top = GoPprof.ParseTop(GoPprof.Run("-top", task.ProfilePath).EnsureSuccess().StandardOutput);
        Assert.True(top.Row(RecordedTrace.KnownMethod).FlatPercent > 99, "the focused profile is the known method's alone");
    }

    [Fact]
    public void The_mapping_is_the_test_assembly_path_so_namespace_patterns_match_frames_only()
    {
        // The assembly named like the namespace, as MyCompany.Tests is: pprof matches -focus and -ignore against the
        // mapping's file too, so a bare name would let '^AllocatingApp\.KnownAllocations\.' hit every sample.
        var binary = Path.Combine(_trace.Directory, "AllocatingApp.KnownAllocations.dll");
        var (task, _) = Run(_trace.TraceDirectory, mainBinary: binary);

        var raw = GoPprof.Run("-raw", task.ProfilePath).EnsureSuccess().StandardOutput;
        Assert.Contains($" {binary}  [FN][FL][LN]", raw, StringComparison.Ordinal);
        Assert.Contains("File: AllocatingApp.KnownAllocations.dll\n", GoPprof.Run("-top", task.ProfilePath).EnsureSuccess().StandardOutput, StringComparison.Ordinal);

        const string Known = "^AllocatingApp\\.KnownAllocations\\.";
        var focused = GoPprof.Run("-traces", "-focus=" + Known, task.ProfilePath).EnsureSuccess().StandardOutput;
        var ignored = GoPprof.Run("-traces", "-ignore=" + Known, task.ProfilePath).EnsureSuccess().StandardOutput;

        Assert.All(GoPprof.Stacks(focused), stack => Assert.Contains(RecordedTrace.KnownMethod, stack, StringComparison.Ordinal));
        var others = GoPprof.Stacks(ignored);
        Assert.NotEmpty(others);
        Assert.All(others, stack => Assert.DoesNotContain(RecordedTrace.KnownMethod, stack, StringComparison.Ordinal));
        var all = GoPprof.Kept(task.ProfilePath);
        var ignoredBytes = GoPprof.Kept(task.ProfilePath, "-ignore=" + Known);
        Assert.True(ignoredBytes > 0, "-ignore keeps the samples without the known method's frame");
        Assert.InRange(GoPprof.Kept(task.ProfilePath, "-focus=" + Known) + ignoredBytes, 0.99 * all, 1.01 * all);
    }

    [Fact]
    public void The_log_lists_the_top_sites_in_the_users_own_code_with_their_lines()
    {
        var (task, engine) = Run(_trace.TraceDirectory);

        var log = engine.HighMessages.ToList();
        var heading = log.FindIndex(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^ProfilingKit: top [1-5] sites in your code \(innermost frame of your code, with what it called\):$"));
        Assert.True(heading >= 0, string.Join("\n", log));
        var line = RecordedTrace.AllocatingLine(ProgramSourcePath(task));
        Assert.Matches($@"^ProfilingKit: +[\d.]+ [kMG]?B +\d+\.\d%  {System.Text.RegularExpressions.Regex.Escape(RecordedTrace.KnownMethod)} \(Program\.cs:{line}\)$", log[heading + 1]);
        // Only frames of code whose source is on this machine: no framework function is listed there.
        var sites = log.Skip(heading + 1).TakeWhile(entry => entry.StartsWith("ProfilingKit:   ", StringComparison.Ordinal)).ToList();
        Assert.All(sites, site => Assert.DoesNotContain("System.", site, StringComparison.Ordinal));
    }

    [Fact]
    public void No_trace_because_the_test_hosts_framework_is_not_installed_is_a_PKB011_warning_that_names_it()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_trace.Directory, "no-host-" + Guid.NewGuid().ToString("N"))).FullName;
        var runtimeConfig = Path.Combine(empty, "Tests.runtimeconfig.json");
        File.WriteAllText(runtimeConfig, """{"runtimeOptions":{"tfm":"net8.0","framework":{"name":"Microsoft.NETCore.App","version":"8.0.0"}}}""");
        var dotnetRoot = Path.Combine(empty, "dotnet");
        Directory.CreateDirectory(Path.Combine(dotnetRoot, "shared", "Microsoft.NETCore.App", "10.0.12"));

        var (_, engine) = Run(empty, runtimeConfig: runtimeConfig, dotnetRoot: dotnetRoot);

        AssertOneWarning(engine, "PKB011", "the test host cannot have started: Tests.runtimeconfig.json asks for Microsoft.NETCore.App 8.0.0");
        Assert.Contains("(installed: 10.0.12)", engine.Warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Install the .NET 8 runtime", engine.Warnings[0].Message, StringComparison.Ordinal);

        // A runtime it rolls forward to (a later patch or minor of 8) is there: the cause is another, PKB001's.
        Directory.CreateDirectory(Path.Combine(dotnetRoot, "shared", "Microsoft.NETCore.App", "8.0.11"));
        (_, engine) = Run(empty, runtimeConfig: runtimeConfig, dotnetRoot: dotnetRoot);
        AssertOneWarning(engine, "PKB001", "no trace in");
    }

    [Fact]
    public void A_missing_trace_is_a_PKB001_warning_not_an_error()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_trace.Directory, "no-trace-" + Guid.NewGuid().ToString("N"))).FullName;

        var (task, engine) = Run(empty);

        AssertOneWarning(engine, "PKB001", "no trace in");
        Assert.Equal("", task.ProfilePath);
    }

    [Fact]
    public void A_truncated_trace_is_a_PKB002_warning_that_says_so()
    {
        var cut = _trace.CopyTrace((int)(new FileInfo(_trace.TracePath).Length / 2));

        var (_, engine) = Run(cut);

        AssertOneWarning(engine, "PKB002", "is truncated");
    }

    [Fact]
    public void An_empty_trace_is_a_PKB002_warning_that_says_so()
    {
        var (_, engine) = Run(_trace.CopyTrace(0));

        AssertOneWarning(engine, "PKB002", "is empty");
    }

    [Fact]
    public void A_corrupt_trace_is_a_PKB003_warning_that_says_so()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_trace.Directory, "corrupt-" + Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(directory, "host_1.nettrace"), "this is not a trace at all, just text that is long enough");

        var (_, engine) = Run(directory);

        AssertOneWarning(engine, "PKB003", "not a readable nettrace file");
    }

    [Fact]
    public void A_trace_with_damaged_blocks_is_a_warning_not_a_crash()
    {
        var directory = _trace.CopyTrace();
        var path = Path.Combine(directory, "host_1.nettrace");
        var bytes = File.ReadAllBytes(path);
        new Random(5).NextBytes(bytes.AsSpan(200, bytes.Length / 3));
        File.WriteAllBytes(path, bytes);

        var (task, engine) = Run(directory);

        Assert.Empty(engine.Errors);
        Assert.Single(engine.Warnings);
        Assert.Contains(engine.Warnings[0].Code, new[] { "PKB002", "PKB003", "PKB004" });
        Assert.Equal("", task.ProfilePath);
    }

    [Fact]
    public void A_bad_focus_is_a_PKB006_warning()
    {
        var (_, engine) = Run(_trace.TraceDirectory, focus: "([unclosed");

        AssertOneWarning(engine, "PKB006", "not a valid regular expression");
    }

    private static void AssertOneWarning(RecordingBuildEngine engine, string code, string text)
    {
        Assert.Empty(engine.Errors);
        var warning = Assert.Single(engine.Warnings);
        Assert.Equal(code, warning.Code);
        Assert.Contains(text, warning.Message, StringComparison.Ordinal);
    }

    private static string ProgramSourcePath(ConvertTraceToPprof task)
    {
        var summary = File.ReadAllLines(task.SummaryPath);
        var row = summary.First(line => line.StartsWith(RecordedTrace.KnownMethod + "\t", StringComparison.Ordinal));
        return row.Split('\t')[1];
    }

    private (ConvertTraceToPprof Task, RecordingBuildEngine Engine) Run(string traceDirectory, string focus = "", string? mainBinary = null, string runtimeConfig = "", string dotnetRoot = "")
    {
        var engine = new RecordingBuildEngine();
        var output = Path.Combine(_trace.Directory, "out-" + Guid.NewGuid().ToString("N"), "AllocatingApp.allocs.pb.gz");
        var task = new ConvertTraceToPprof
        {
            BuildEngine = engine,
            TraceDirectory = traceDirectory,
            OutputFile = output,
            MainBinary = mainBinary ?? Path.Combine(AppContext.BaseDirectory, "AllocatingApp.dll"),
            Focus = focus,
            RuntimeConfigFile = runtimeConfig,
            DotnetRoot = dotnetRoot,
        };

        Assert.True(task.Execute(), "the task never fails the build");
        Assert.Empty(engine.Errors);
        return (task, engine);
    }
}
