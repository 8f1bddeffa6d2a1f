using Microsoft.Testing.Platform.OutputDevice;
using ProfilingKit.TestProfiles;

namespace ProfilingKit.Testing.Platform.Tests;

public sealed class TestHostProfilerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("profilingkit-mtp-").FullName;
    private readonly RecordingOutputDevice _device = new();
    private readonly RecordingMessageBus _messageBus = new();

    private string TraceDirectory => Path.Combine(_directory, "obj", "pprof", "net10.0");

    private TestProfileSettings Settings => new(TraceDirectory, Path.Combine(_directory, "TestResults", "pprof", "P.allocs.pb.gz"), "",
        [new("DOTNET_EnableEventPipe", "1"), new("DOTNET_EventPipeOutputPath", Path.Combine(TraceDirectory, "testhost_{pid}.nettrace"))]);

    [Fact]
    public async Task The_test_host_gets_every_variable_of_the_build_unlocked_and_not_secret()
    {
        var environment = new RecordingEnvironmentVariables();

        await Profiler().UpdateAsync(environment);

        Assert.Equal(["DOTNET_EnableEventPipe", "DOTNET_EventPipeOutputPath"], environment.Variables.Keys);
        Assert.Equal("1", environment.Variables["DOTNET_EnableEventPipe"].Value);
        Assert.Equal(Path.Combine(TraceDirectory, "testhost_{pid}.nettrace"), environment.Variables["DOTNET_EventPipeOutputPath"].Value);
        Assert.All(environment.Variables.Values, variable => Assert.False(variable.IsSecret || variable.IsLocked));
    }

    [Fact]
    public async Task Before_the_host_starts_the_traces_of_earlier_runs_go_and_other_files_stay()
    {
        Directory.CreateDirectory(TraceDirectory);
        File.WriteAllText(Path.Combine(TraceDirectory, "testhost_1.nettrace"), "old");
        File.WriteAllText(Path.Combine(TraceDirectory, "notes.txt"), "mine");

        await Profiler().BeforeTestHostProcessStartAsync(CancellationToken.None);

        Assert.Equal(["notes.txt"], Directory.GetFiles(TraceDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_trace_folder_that_cannot_be_made_fails_nothing_before_the_host_starts()
    {
        File.WriteAllText(Path.Combine(_directory, "obj"), "a file where the folder would be");

        await Profiler().BeforeTestHostProcessStartAsync(CancellationToken.None);

        Assert.False(Directory.Exists(TraceDirectory));
    }

    [Fact]
    public async Task No_trace_after_the_host_exits_is_a_PKB001_warning_on_the_platforms_output_and_no_artifact()
    {
        var profiler = Profiler();
        await profiler.BeforeTestHostProcessStartAsync(CancellationToken.None);

        await profiler.OnTestHostProcessExitedAsync(new ExitedTestHost { ExitCode = 2 }, CancellationToken.None);

        var warning = Assert.IsType<WarningMessageOutputDeviceData>(Assert.Single(_device.Shown));
        Assert.StartsWith($"warning PKB001: ProfilingKit: no trace in {TraceDirectory}", warning.Message);
        Assert.Empty(_messageBus.Published);
        Assert.False(File.Exists(Settings.OutputFile));
    }

    [Fact]
    public async Task No_trace_and_no_gates_leave_the_run_as_it_was()
    {
        var failed = 0;

        await Profiler(failRun: () => failed++).OnTestHostProcessExitedAsync(new ExitedTestHost(), CancellationToken.None);

        Assert.Equal(0, failed);
    }

    [Fact]
    public async Task A_budget_that_cannot_be_read_is_a_PKB022_error_and_fails_the_run()
    {
        var failed = 0;
        var settings = new TestProfileSettings(Settings.TraceDirectory, Settings.OutputFile, "", Settings.EnvironmentVariables,
            [new BudgetItem("parser", "P.Parser.*", "", "fifty megabytes"), new BudgetItem("fine", "", "", "1MB")], "", "ten");

        await new TestHostProfiler(settings, new PlatformOutput(_device, dotnetTestOutput: null), _messageBus, () => failed++)
            .OnTestHostProcessExitedAsync(new ExitedTestHost(), CancellationToken.None);

        var errors = _device.Shown.OfType<ErrorMessageOutputDeviceData>().Select(error => error.Message).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("error PKB022: ProfilingKit: the budget 'parser' has MaxBytes 'fifty megabytes', which is not a size", errors[0]);
        Assert.StartsWith("error PKB022: ProfilingKit: DebugPprofBaselineTolerance 'ten' is not a percentage", errors[1]);
        Assert.Equal(1, failed);
    }

    [Fact]
    public async Task Under_dotnet_test_an_error_goes_to_standard_error()
    {
        var standardOutput = new StringWriter();
        var standardError = new StringWriter();
        var settings = new TestProfileSettings(Settings.TraceDirectory, Settings.OutputFile, "", Settings.EnvironmentVariables, [new BudgetItem("b", "", "", "")]);

        await new TestHostProfiler(settings, new PlatformOutput(_device, standardOutput, standardError), _messageBus, () => { })
            .OnTestHostProcessExitedAsync(new ExitedTestHost(), CancellationToken.None);

        Assert.Empty(_device.Shown);
        Assert.StartsWith("error PKB022: ProfilingKit: the budget 'b' has MaxBytes ''", standardError.ToString());
        Assert.StartsWith("warning PKB001: ", standardOutput.ToString());
    }

    [Fact]
    public async Task Under_dotnet_test_the_warning_goes_to_standard_output_not_to_the_device()
    {
        var standardOutput = new StringWriter();

        await Profiler(standardOutput).OnTestHostProcessExitedAsync(new ExitedTestHost(), CancellationToken.None);

        Assert.Empty(_device.Shown);
        Assert.StartsWith("warning PKB001: ProfilingKit: no trace in ", standardOutput.ToString());
    }

    [Fact]
    public async Task A_line_is_plain_text_on_the_device_of_platform_1x()
    {
        var output = new PlatformOutput(_device, dotnetTestOutput: null);

        await output.ShowLineAsync(Profiler(), "ProfilingKit: allocation profile /p.allocs.pb.gz", CancellationToken.None);

        Assert.Equal("ProfilingKit: allocation profile /p.allocs.pb.gz", Assert.IsType<TextOutputDeviceData>(Assert.Single(_device.Shown)).Text);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private TestHostProfiler Profiler(TextWriter? dotnetTestOutput = null, Action? failRun = null) =>
        new(Settings, new PlatformOutput(_device, dotnetTestOutput), _messageBus, failRun ?? (() => Assert.Fail("nothing here may fail the run")));
}
