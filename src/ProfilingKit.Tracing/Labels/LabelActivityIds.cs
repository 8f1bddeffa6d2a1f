using System.Buffers.Binary;

namespace ProfilingKit.Labels;

/// <summary>
/// How a label set rides on the runtime's events. The runtime writes the thread's EventSource
/// activity id into the header of every event a thread raises itself (AllocationSampled,
/// ContentionStart/Stop), so ProfilingKit sets the thread's activity id to one that names the
/// current label set: the twelve bytes <c>ProfilingKit</c>, then the set's number (little-endian).
/// An id in any other form is someone else's activity and carries no labels.
/// </summary>
internal static class LabelActivityIds
{
    private static ReadOnlySpan<byte> Marker => "ProfilingKit"u8;

    /// <summary>The activity id that names label set <paramref name="labelSet"/> (1 or more).</summary>
    public static Guid Of(int labelSet)
    {
        if (labelSet <= 0) throw new ArgumentOutOfRangeException(nameof(labelSet), labelSet, "Label sets are numbered from 1.");

        Span<byte> bytes = stackalloc byte[16];
        Marker.CopyTo(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.Slice(12), labelSet);
        return new Guid(bytes);
    }

    /// <summary>The label set <paramref name="activityId"/> names, or 0 when it names none.</summary>
    public static int LabelSetOf(in Guid activityId)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (!activityId.TryWriteBytes(bytes) || !bytes.StartsWith(Marker)) return 0;
        var labelSet = BinaryPrimitives.ReadInt32LittleEndian(bytes.Slice(12));
        return labelSet > 0 ? labelSet : 0;
    }
}
