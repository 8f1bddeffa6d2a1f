namespace ProfilingKit.Labels;

/// <summary>One combination of labels, immutable: what a <see cref="ProfileLabels.Scope"/> makes current.</summary>
internal sealed class LabelSet
{
    public LabelSet(int id, KeyValuePair<string, string>[] labels, string encoded)
    {
        Id = id;
        Labels = labels;
        Encoded = encoded;
        ActivityId = id > 0 ? LabelActivityIds.Of(id) : Guid.Empty;
    }

    /// <summary>The set's number on the runtime's events; 0 for a set beyond <see cref="LabelSetRegistry.MaxSets"/>, which events cannot name.</summary>
    public int Id { get; }

    /// <summary>The labels, sorted by key (ordinal), one value per key.</summary>
    public KeyValuePair<string, string>[] Labels { get; }

    /// <summary>The labels as the LabelSet event writes them (<see cref="LabelSetEvents.Encode"/>): the set's identity.</summary>
    public string Encoded { get; }

    /// <summary>The thread activity id that names this set on the runtime's events (<see cref="LabelActivityIds"/>).</summary>
    public Guid ActivityId { get; }
}
