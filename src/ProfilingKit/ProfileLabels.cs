using ProfilingKit.Labels;

namespace ProfilingKit;

/// <summary>
/// Profile labels, as Go's <c>pprof.Do(ctx, pprof.Labels("tenant", id), f)</c>: key-value pairs that
/// flow with the async context (across <c>await</c>, <c>Task.Run</c> and the thread pool) and are
/// attached to the allocation, block and mutex samples taken while they are set, so that
/// <c>go tool pprof -tags</c> and <c>-tagfocus=tenant=42</c> tell one request, tenant or job from
/// another. Labels nest: a scope adds to (and for the same key replaces) the labels around it, and
/// disposing it restores them.
/// </summary>
/// <example>
/// <code>
/// using (ProfileLabels.Set("tenant", tenantId))
/// {
///     await HandleAsync(request);
/// }
/// </code>
/// </example>
public static class ProfileLabels
{
    /// <summary>
    /// The number of distinct label sets the process's profiles can tell apart. Beyond it (labels of
    /// unbounded cardinality, such as a request id) further sets still flow and read back through
    /// <see cref="Current"/>, but their samples carry no labels; ProfilingKit says so once in its log.
    /// </summary>
    public const int MaxLabelSets = LabelSetRegistry.MaxSets;

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/> until the returned scope is disposed.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="key"/> is empty.</exception>
    public static Scope Set(string key, string value) => Set([new KeyValuePair<string, string>(key, value)]);

    /// <summary>Sets every key in <paramref name="labels"/> to its value until the returned scope is disposed; a key given twice keeps its last value.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/>, a key or a value is null.</exception>
    /// <exception cref="ArgumentException">A key is empty.</exception>
    public static Scope Set(IEnumerable<KeyValuePair<string, string>> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var previous = LabelSetRegistry.Current;
        LabelSetRegistry.Current = LabelSetRegistry.With(previous, labels);
        return new Scope(previous);
    }

    /// <summary>The labels set here, sorted by key; empty outside every scope.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Current => LabelSetRegistry.Current?.Labels ?? [];

    /// <summary>The value of <paramref name="key"/> here, as Go's <c>pprof.Label(ctx, key)</c>.</summary>
    public static bool TryGetValue(string key, out string value)
    {
        foreach (var label in Current)
        {
            if (string.Equals(label.Key, key, StringComparison.Ordinal))
            {
                value = label.Value;
                return true;
            }
        }

        value = "";
        return false;
    }

    /// <summary>The labels of one <see cref="Set(string, string)"/> call: disposing it restores the labels that were set before.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly LabelSet? _previous;
        private readonly bool _active;

        internal Scope(LabelSet? previous)
        {
            _previous = previous;
            _active = true;
        }

        /// <summary>Restores the labels that were set when this scope began.</summary>
        public void Dispose()
        {
            if (_active) LabelSetRegistry.Current = _previous;
        }
    }
}
