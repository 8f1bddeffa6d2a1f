using Microsoft.Testing.Platform.Extensions.OutputDevice;
using Microsoft.Testing.Platform.OutputDevice;

namespace ProfilingKit.Testing.Platform.Tests;

/// <summary>The platform's output device as 1.x defines it (DisplayAsync without a token), recording what it is shown.</summary>
internal sealed class RecordingOutputDevice : IOutputDevice
{
    public List<IOutputDeviceData> Shown { get; } = [];

    public Task DisplayAsync(IOutputDeviceDataProducer producer, IOutputDeviceData data)
    {
        Shown.Add(data);
        return Task.CompletedTask;
    }
}
