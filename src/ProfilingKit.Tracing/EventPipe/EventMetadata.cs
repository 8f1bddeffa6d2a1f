namespace ProfilingKit.EventPipe;

/// <summary>What a nettrace metadata record says about one kind of event.</summary>
internal sealed class EventMetadata
{
    public EventMetadata(int id, string providerName, int eventId, int version)
    {
        Id = id;
        ProviderName = providerName;
        EventId = eventId;
        Version = version;
        Kind = ClrEvents.KindOf(providerName, eventId);
    }

    /// <summary>The metadata id that events refer to.</summary>
    public int Id { get; }

    public string ProviderName { get; }

    public int EventId { get; }

    public int Version { get; }

    /// <summary>Which of the runtime events ProfilingKit reads this is, if any.</summary>
    public ClrEventKind Kind { get; }
}
