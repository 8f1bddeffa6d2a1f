using System.Diagnostics.Tracing;
using ProfilingKit.Diagnostics;

namespace ProfilingKit.Labels;

/// <summary>
/// The process's label sets, numbered once per distinct combination, and the current one. The current
/// set lives in an <see cref="AsyncLocal{T}"/>, so it flows as the async context does; whenever a thread
/// starts or stops running under a set, the local's change callback makes the set's
/// <see cref="LabelSet.ActivityId"/> the thread's EventSource activity id, which the runtime writes into the
/// header of the allocation and contention events the thread raises, and notes the change in the
/// thread's <see cref="LabelTimeline"/> for the samplers that write no such id. A new set is announced on
/// <see cref="LabelEventSource"/>, so every reader of the events knows what the number stands for.
/// </summary>
internal static class LabelSetRegistry
{
    /// <summary>The most distinct sets numbered in one process: enough for routes, tenants and tests, a bound for request ids.</summary>
    public const int MaxSets = 16_384;

    private static readonly AsyncLocal<LabelSet?> CurrentSet = new(OnCurrentChanged);

    // A plain dictionary and list under one lock, not a ConcurrentDictionary: counting or listing one takes all its
    // locks and logs that on the BCL's own EventSource, whose first use takes EventSource's global lock, which
    // LabelEventSource's OnEventCommand already holds when it lists the sets (a deadlock seen under load). Nothing
    // here calls out of this class while holding the gate.
    private static readonly object Gate = new();
    private static readonly Dictionary<string, LabelSet> Sets = new(StringComparer.Ordinal);
    private static readonly List<LabelSet> Numbered = new();
    private static int _overLimitReported;

    public static LabelSet? Current
    {
        get => CurrentSet.Value;
        set => CurrentSet.Value = value;
    }

    /// <summary>Every numbered set, for a session that starts listening after they were announced.</summary>
    public static LabelSet[] All
    {
        get
        {
            lock (Gate) return Numbered.ToArray();
        }
    }

    /// <summary>The set of <paramref name="outer"/>'s labels with <paramref name="added"/>'s added, a key given again taking its new value.</summary>
    public static LabelSet With(LabelSet? outer, IEnumerable<KeyValuePair<string, string>> added)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (outer is not null)
        {
            foreach (var (key, value) in outer.Labels) labels[key] = value;
        }

        foreach (var (key, value) in added)
        {
            ArgumentNullException.ThrowIfNull(key, "key");
            ArgumentNullException.ThrowIfNull(value, "value");
            if (key.Length == 0) throw new ArgumentException("A profile label's key must not be empty.", nameof(added));
            labels[Clean(key)] = Clean(value);
        }

        var pairs = labels.ToArray();
        var encoded = LabelSetEvents.Encode(pairs);
        LabelSet set;
        lock (Gate)
        {
            if (Sets.TryGetValue(encoded, out var known)) return known;
            if (Numbered.Count < MaxSets)
            {
                set = new LabelSet(Numbered.Count + 1, pairs, encoded);
                Sets[encoded] = set;
                Numbered.Add(set);
            }
            else
            {
                set = new LabelSet(0, pairs, encoded);
            }
        }

        if (set.Id == 0)
        {
            if (Interlocked.Exchange(ref _overLimitReported, 1) == 0)
            {
                ProfilingKitLog.Warn($"more than {MaxSets} distinct profile label sets: samples under the further ones carry no labels. Label by something of bounded cardinality (a route, not a request id).");
            }
        }
        else
        {
            LabelEventSource.Log.Announce(set);
        }

        return set;
    }

    /// <summary>Keys and values travel as one string that the separator and NUL would cut: each becomes U+FFFD.</summary>
    private static string Clean(string text) =>
        text.AsSpan().IndexOfAny(LabelSetEvents.Separator, '\0') < 0 ? text : text.Replace(LabelSetEvents.Separator, '\uFFFD').Replace('\0', '\uFFFD');

    private static void OnCurrentChanged(AsyncLocalValueChangedArgs<LabelSet?> change)
    {
        if (ReferenceEquals(change.PreviousValue, change.CurrentValue)) return;
        EventSource.SetCurrentThreadActivityId(change.CurrentValue?.ActivityId ?? Guid.Empty);
        LabelTimeline.Instance.Record(change.CurrentValue?.Id ?? 0);
    }
}
