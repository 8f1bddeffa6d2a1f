namespace ProfilingKit.Labels;

/// <summary>
/// Which label set each thread ran under when: for samples that another thread takes (the runtime's
/// stack sampler, the kernel's CPU sampler), which carry no activity id of the sampled thread.
/// </summary>
internal interface ILabelTimeline
{
    /// <summary>The label set OS thread <paramref name="threadId"/> ran under at <paramref name="timestamp"/> (QPC ticks of this process); 0 for none or unknown.</summary>
    int LabelSetAt(long threadId, long timestamp);
}
