using System.Diagnostics.Tracing;

namespace ProfilingKit.Labels;

/// <summary>
/// Announces what each label set's number stands for (<see cref="LabelSetEvents"/>): once when the set
/// is first used, and every set again when a session enables the provider, so a session that starts
/// late (an attached <c>dotnet pprof</c>, the endpoint's own sampler starting in the background)
/// still learns them.
/// </summary>
[EventSource(Name = LabelSetEvents.ProviderName)]
internal sealed class LabelEventSource : EventSource
{
    public static readonly LabelEventSource Log = new();

    private LabelEventSource()
    {
    }

    [NonEvent]
    public void Announce(LabelSet set)
    {
        if (IsEnabled()) LabelSet(set.Id, set.Encoded);
    }

    /// <summary>Label set <paramref name="id"/> is <paramref name="labels"/>: each key and value followed by U+001F.</summary>
    [Event(LabelSetEvents.LabelSetEventId, Level = EventLevel.Informational)]
    private void LabelSet(int id, string labels) => WriteEvent(LabelSetEvents.LabelSetEventId, id, labels);

    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (command.Command != EventCommand.Enable) return;
        foreach (var set in LabelSetRegistry.All) Announce(set);
    }
}
