using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Labels;

/// <summary>
/// The event that defines a label set: ProfilingKit's EventSource <see cref="ProviderName"/> writes one,
/// event <see cref="LabelSetEventId"/>, when a set is first used (and all of them again when a session
/// enables the provider), so every reader of the trace (the endpoint's own session, an attached
/// <c>dotnet pprof</c>, a test profile's file) learns what the numbers on the events mean. Payload:
/// the set's number (int32), then its labels as one string, each key and value followed by
/// <see cref="Separator"/>.
/// </summary>
internal static class LabelSetEvents
{
    public const string ProviderName = "ProfilingKit-Labels";

    public const int LabelSetEventId = 1;

    /// <summary>Ends every key and every value in the payload's string (U+001F, the unit separator).</summary>
    public const char Separator = '\u001F';

    /// <summary>The payload's string for <paramref name="labels"/>, whose keys and values hold no <see cref="Separator"/> or NUL.</summary>
    public static string Encode(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in labels) text.Append(key).Append(Separator).Append(value).Append(Separator);
        return text.ToString();
    }

    /// <summary>Reads a LabelSet event's payload; false when it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out int labelSet, out List<KeyValuePair<string, string>> labels)
    {
        labels = [];
        labelSet = 0;
        if (payload.Length < 6) return false;

        labelSet = BinaryPrimitives.ReadInt32LittleEndian(payload);
        var chars = MemoryMarshal.Cast<byte, char>(payload.Slice(4, (payload.Length - 4) & ~1));
        var end = chars.IndexOf('\0');
        if (labelSet <= 0 || end < 0) return false;

        var rest = chars.Slice(0, end);
        while (!rest.IsEmpty)
        {
            var keyEnd = rest.IndexOf(Separator);
            if (keyEnd < 0) return false;
            var valueEnd = rest.Slice(keyEnd + 1).IndexOf(Separator);
            if (valueEnd < 0) return false;
            labels.Add(new(rest.Slice(0, keyEnd).ToString(), rest.Slice(keyEnd + 1, valueEnd).ToString()));
            rest = rest.Slice(keyEnd + 1 + valueEnd + 1);
        }

        return true;
    }

    public static bool IsLabelSet(EventMetadata metadata) => metadata.Kind == ClrEventKind.LabelSet;
}
