using System.Reflection;
using Microsoft.Testing.Platform.Extensions.OutputDevice;
using Microsoft.Testing.Platform.OutputDevice;

namespace ProfilingKit.Testing.Platform;

/// <summary>
/// Where the profile's lines and warnings go: the platform's output device, callable on
/// Microsoft.Testing.Platform 1.x and 2.x alike, except under `dotnet test`.
/// </summary>
/// <remarks>
/// <para>
/// <c>IOutputDevice.DisplayAsync</c> is the one member this extension uses whose signature differs between
/// the majors: 1.x has <c>(producer, data)</c>, 2.x only <c>(producer, data, cancellationToken)</c>. A direct
/// call compiled against either fails with MissingMethodException on the other, so the method is looked up
/// once on the running platform's interface and called through a delegate.
/// </para>
/// <para>
/// Under `dotnet test` (the app runs with <c>--dotnet-test-pipe</c>) the SDK draws the terminal, and the
/// device does not reach it alike on both majors: 2.x drops plain text there, 1.x writes it to the app's
/// standard output. The SDK (10.0.1xx–4xx) shows an app's standard output when the app failed, and not
/// otherwise. So there the lines go to standard output on both majors: printed with the failed tests of a
/// red run; on a green run `dotnet test` lists the profile and the summary as artifacts instead
/// (<see cref="TestHostProfiler"/> publishes them).
/// </para>
/// </remarks>
internal sealed class PlatformOutput
{
    private readonly Func<IOutputDeviceDataProducer, IOutputDeviceData, CancellationToken, Task> _display;
    private readonly TextWriter? _dotnetTestOutput;
    private readonly TextWriter? _dotnetTestError;

    /// <param name="device">The platform's output device.</param>
    /// <param name="dotnetTestOutput">Standard output when the app runs under `dotnet test`, else null.</param>
    /// <param name="dotnetTestError">Standard error then, for errors; null writes them to <paramref name="dotnetTestOutput"/>.</param>
    public PlatformOutput(IOutputDevice device, TextWriter? dotnetTestOutput, TextWriter? dotnetTestError = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        _display = Bind(device);
        _dotnetTestOutput = dotnetTestOutput;
        _dotnetTestError = dotnetTestError ?? dotnetTestOutput;
    }

    /// <summary>Shows one line of the profile's report.</summary>
    public Task ShowLineAsync(IOutputDeviceDataProducer producer, string line, CancellationToken cancellationToken) =>
        _dotnetTestOutput is { } output ? output.WriteLineAsync(line) : _display(producer, new TextOutputDeviceData(line), cancellationToken);

    /// <summary>Shows a PKB warning.</summary>
    public Task ShowWarningAsync(IOutputDeviceDataProducer producer, string warning, CancellationToken cancellationToken) =>
        _dotnetTestOutput is { } output ? output.WriteLineAsync(warning) : _display(producer, new WarningMessageOutputDeviceData(warning), cancellationToken);

    /// <summary>Shows a failed gate: on standard error under `dotnet test`, which shows it as the failed app's "Error output".</summary>
    public Task ShowErrorAsync(IOutputDeviceDataProducer producer, string error, CancellationToken cancellationToken) =>
        _dotnetTestError is { } output ? output.WriteLineAsync(error) : _display(producer, new ErrorMessageOutputDeviceData(error), cancellationToken);

    private static Func<IOutputDeviceDataProducer, IOutputDeviceData, CancellationToken, Task> Bind(IOutputDevice device)
    {
        var withToken = typeof(IOutputDevice).GetMethod(nameof(IOutputDevice.DisplayAsync), [typeof(IOutputDeviceDataProducer), typeof(IOutputDeviceData), typeof(CancellationToken)]);
        if (withToken is not null)
        {
            return withToken.CreateDelegate<Func<IOutputDeviceDataProducer, IOutputDeviceData, CancellationToken, Task>>(device);
        }

        var withoutToken = typeof(IOutputDevice).GetMethod(nameof(IOutputDevice.DisplayAsync), [typeof(IOutputDeviceDataProducer), typeof(IOutputDeviceData)])
            ?? throw new MissingMethodException($"{typeof(IOutputDevice).FullName} of {typeof(IOutputDevice).Assembly.GetName()} has no DisplayAsync this extension knows.");
        var display = withoutToken.CreateDelegate<Func<IOutputDeviceDataProducer, IOutputDeviceData, Task>>(device);
        return (producer, data, _) => display(producer, data);
    }
}
