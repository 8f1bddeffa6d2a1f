using ProfilingKit.EventPipe;
using ProfilingKit.Pprof;

namespace ProfilingKit.Labels;

/// <summary>
/// The label sets a trace has defined so far (<see cref="LabelSetEvents"/>), by number: what the
/// samplers' label numbers stand for when a profile is built. Fed on the reader's thread, read by
/// whoever builds a profile.
/// </summary>
internal sealed class LabelSets : INetTraceHandler
{
    private readonly object _gate = new();
    private readonly Dictionary<int, SampleLabel[]> _sets = new();

    public void OnEvent(in TraceEventRecord record)
    {
        if (!LabelSetEvents.IsLabelSet(record.Metadata) || !LabelSetEvents.TryRead(record.Payload, out var labelSet, out var labels)) return;

        var sampleLabels = labels.Select(label => SampleLabel.String(label.Key, label.Value)).ToArray();
        lock (_gate) _sets[labelSet] = sampleLabels;
    }

    /// <summary>The labels of set <paramref name="labelSet"/>; none for 0 or a set not (yet) defined.</summary>
    public IReadOnlyList<SampleLabel> Of(int labelSet)
    {
        if (labelSet == 0) return [];
        lock (_gate) return _sets.TryGetValue(labelSet, out var labels) ? labels : [];
    }
}
