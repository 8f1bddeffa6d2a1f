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
/// A profile is a by-product of the tests: nothing here changes the run's outcome.
/// </summary>
internal sealed class TestHostProfiler : ITestHostEnvironmentVariableProvider, ITestHostProcessLifetimeHandler, IOutputDeviceDataProducer, IDataProducer
{
    private readonly TestProfileSettings _settings;
    private readonly PlatformOutput _output;
    private readonly IMessageBus _messageBus;

    public TestHostProfiler(TestProfileSettings settings, PlatformOutput output, IMessageBus messageBus)
    {
        _settings = settings;
        _output = output;
        _messageBus = messageBus;
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
        IReadOnlyList<string> lines;
        string? warning = null;
        TestRunProfile? profile = null;
        try
        {
            profile = TestRunProfile.Write(_settings.TraceDirectory, _settings.OutputFile, MainBinary.OfThisProcess(), _settings.Focus);
            lines = profile.Lines;
        }
        catch (TraceProblem problem)
        {
            lines = [];
            warning = Warning(problem.Code, problem.Message);
        }
        catch (Exception e)
        {
            lines = [];
            warning = Warning(TraceProblemCodes.Unexpected, $"converting the trace failed unexpectedly (please report it): {e}");
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

        if (warning is not null)
        {
            await _output.ShowWarningAsync(this, warning, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The text of a PKB warning, worded as the MSBuild task's (docs/test-profiles.md#warnings).</summary>
    private static string Warning(string code, string message) => $"warning {code}: ProfilingKit: {message}";
}
