using Microsoft.Testing.Platform.Extensions.Messages;
using Microsoft.Testing.Platform.Messages;

namespace ProfilingKit.Testing.Platform.Tests;

/// <summary>The platform's message bus, recording what is published and checking the producer declared its type.</summary>
internal sealed class RecordingMessageBus : IMessageBus
{
    public List<IData> Published { get; } = [];

    public Task PublishAsync(IDataProducer dataProducer, IData data)
    {
        Assert.Contains(data.GetType(), dataProducer.DataTypesProduced);
        Published.Add(data);
        return Task.CompletedTask;
    }
}
