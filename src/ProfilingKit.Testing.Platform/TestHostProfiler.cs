using System.Reflection;
using Microsoft.Testing.Platform.Extensions;
using Microsoft.Testing.Platform.Extensions.OutputDevice;
using Microsoft.Testing.Platform.Extensions.Messages;
using Microsoft.Testing.Platform.Extensions.TestHostControllers;
using Microsoft.Testing.Platform.Messages;
using ProfilingKit.Symbols;
using ProfilingKit.TestProfiles;

namespace ProfilingKit.Testing.Platform;

/// <summary>
/// The test-host controller of a profiled test run. Microsoft.Testing.Platform runs controller
/// extensions in a process of their own, which starts the test host as a child: this one gives the
/// child EventPipe's variables (so only the test host is traced, as under VSTest), and once the child
/// has exited, and the runtime has written the whole trace, converts it with <see cref="TestRunProfile"/>,
/// the code the MSBuild task runs, and shows the same lines and PKB warnings through the platform's output.
/// A profile is a by-product of the tests: a problem with the trace is a warning and changes nothing. The
/// gates the project declares (budgets, a baseline) are checked here too, as the task checks them, and one
/// that fails fails the run (<see cref="GateFailure"/>).
/// </summary>
internal sealed class TestHostProfiler : ITestHostEnvironmentVariableProvider, ITestHostProcessLifetimeHandler, IOutputDeviceDataProducer, IDataProducer
{
    private readonly TestProfileSettings _settings;
    private readonly PlatformOutput _output;
    private readonly IMessageBus _messageBus;
    private readonly Action _failRun;

    /// <param name="settings">What the build asked for.</param>
    /// <param name="output">Where lines, warnings and errors go.</param>
    /// <param name="messageBus">Where the profile and the summary are published as artifacts.</param>
    /// <param name="failRun">What fails the run when a gate failed: <see cref="GateFailure.FailRun"/> unless a test says otherwise.</param>
    public TestHostProfiler(TestProfileSettings settings, PlatformOutput output, IMessageBus messageBus, Action? failRun = null)
    {
        _settings = settings;
        _output = output;
        _messageBus = messageBus;
        _failRun = failRun ?? GateFailure.FailRun;
    }

    public Type[] DataTypesProduced { get; } = [typeof(FileArtifact)];

    public string Uid => "ProfilingKit.TestProfile";

    public string Version { get; } = typeof(TestHostProfiler).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public string DisplayName => "ProfilingKit test profile";

    public string Description => "Traces the test host's allocations with EventPipe and writes a pprof allocation profile and a hot-spot summary after the run (EnableDebugPprof).";

    public Task<bool> IsEnabledAsync() => Task.FromResult(true);

    public Task UpdateAsync(IEnvironmentVariables environmentVariables)
    {
        foreach (var (name, value) in _settings.EnvironmentVariables)
        {
            environmentVariables.SetVariable(new EnvironmentVariable(name, value, isSecret: false, isLocked: false));
        }

        return Task.CompletedTask;
    }

    public Task<ValidationResult> ValidateTestHostEnvironmentVariablesAsync(IReadOnlyEnvironmentVariables environmentVariables) => ValidationResult.ValidTask;

    /// <summary>
    /// Removes the traces of earlier runs, so the one converted afterwards is this run's. A folder that
    /// cannot be made or cleaned fails nothing here: the conversion then says what is missing (PKB001).
    /// </summary>
    public Task BeforeTestHostProcessStartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var directory = Directory.CreateDirectory(_settings.TraceDirectory);
            foreach (var trace in directory.EnumerateFiles("*.nettrace"))
            {
                trace.Delete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A trace still open elsewhere stays; this run's is newer, and the newest is converted.
        }

        return Task.CompletedTask;
    }

    public Task OnTestHostProcessStartedAsync(ITestHostProcessInformation testHostProcessInformation, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task OnTestHostProcessExitedAsync(ITestHostProcessInformation testHostProcessInformation, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> lines = [];
        var errors = new List<string>();
        var warnings = new List<string>();
        TestRunProfile? profile = null;
        var gateErrors = new List<string>();
        var gates = TestGates.Read(_settings.Budgets, _settings.Baseline, _settings.BaselineTolerance, Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"), gateErrors);
        errors.AddRange(gateErrors.Select(error => Error(TraceProblemCodes.BadBudget, error)));
        try
        {
            // Gates that cannot be read are errors above; the profile is still written.
            profile = TestRunProfile.Write(_settings.TraceDirectory, _settings.OutputFile, MainBinary.OfThisProcess(), _settings.Focus, gates);
            lines = profile.Lines;
            warnings.AddRange(profile.Warnings.Select(problem => Warning(problem.Code, problem.Message)));
            errors.AddRange(profile.Failures.Select(failure => Error(failure.Code, failure.Message)));
        }
        catch (TraceProblem problem) when (problem.Code == TraceProblemCodes.BadBaseline)
        {
            errors.Add(Error(problem.Code, problem.Message)); // a gate asked for and not checked must not pass
        }
        catch (TraceProblem problem)
        {
            warnings.Add(Warning(problem.Code, problem.Message));
        }
        catch (Exception e)
        {
            warnings.Add(Warning(TraceProblemCodes.Unexpected, $"converting the trace failed unexpectedly (please report it): {e}"));
        }

        foreach (var line in lines)
        {
            await _output.ShowLineAsync(this, line, cancellationToken).ConfigureAwait(false);
        }

        // `dotnet test` lists artifacts on every run, green or red: the one channel it always shows.
        if (profile is not null)
        {
            await _messageBus.PublishAsync(this, new FileArtifact(new FileInfo(profile.ProfilePath), "ProfilingKit allocation profile", "go tool pprof -top " + profile.ProfilePath)).ConfigureAwait(false);
            await _messageBus.PublishAsync(this, new FileArtifact(new FileInfo(profile.SummaryPath), "ProfilingKit hot-spot summary")).ConfigureAwait(false);
        }

        foreach (var warning in warnings)
        {
            await _output.ShowWarningAsync(this, warning, cancellationToken).ConfigureAwait(false);
        }

        foreach (var error in errors)
        {
            await _output.ShowErrorAsync(this, error, cancellationToken).ConfigureAwait(false);
        }

        if (errors.Count > 0) _failRun();
    }

    /// <summary>The text of a PKB warning, worded as the MSBuild task's (docs/test-profiles.md#warnings).</summary>
    private static string Warning(string code, string message) => $"warning {code}: ProfilingKit: {message}";

    /// <summary>The text of a failed gate, worded as the MSBuild task's error (docs/test-profiles.md#budgets-and-baselines).</summary>
    private static string Error(string code, string message) => $"error {code}: ProfilingKit: {message}";
}
