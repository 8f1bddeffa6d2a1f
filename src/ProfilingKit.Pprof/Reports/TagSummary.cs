using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// What pprof's tags report adds up: per label key, the sample value carried by each of its values
/// (numeric values formatted in their unit, such as <c>97.66kB</c>), keys by name, values heaviest first.
/// </summary>
public static class TagSummary
{
    /// <summary>Sums the values at <paramref name="valueIndex"/> per label key and value.</summary>
    public static IReadOnlyList<TagKeySummary> Build(Profile profile, int valueIndex)
    {
        if (profile is null) throw new ArgumentNullException(nameof(profile));

        var labels = new SampleLabels(profile);
        var keys = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        void Add(string key, string value, long amount)
        {
            if (!keys.TryGetValue(key, out var values)) keys[key] = values = new Dictionary<string, long>(StringComparer.Ordinal);
            values[value] = (values.TryGetValue(value, out var sum) ? sum : 0) + amount;
        }

        foreach (var sample in profile.Sample)
        {
            var amount = sample.Value[valueIndex];
            foreach (var (key, value) in labels.Strings(sample)) Add(key, value, amount);
            foreach (var (key, number) in labels.Numbers(sample)) Add(key, Measurement.ScaledLabel(number, labels.UnitOf(key), "minimum"), amount);
        }

        return keys.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new TagKeySummary(
                k.Key,
                k.Value.Values.Sum(),
                k.Value.OrderByDescending(v => Math.Abs(v.Value)).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => new TagValue(v.Key, v.Value)).ToList()))
            .ToList();
    }
}

/// <summary>One label key of a <see cref="TagSummary"/>.</summary>
public sealed class TagKeySummary
{
    internal TagKeySummary(string key, long total, IReadOnlyList<TagValue> values)
    {
        Key = key;
        Total = total;
        Values = values;
    }

    /// <summary>The label key.</summary>
    public string Key { get; }

    /// <summary>The value of all samples with this key.</summary>
    public long Total { get; }

    /// <summary>Each label value with the value of its samples, heaviest first.</summary>
    public IReadOnlyList<TagValue> Values { get; }
}

/// <summary>One label value and the sample value it carries.</summary>
public sealed class TagValue
{
    internal TagValue(string name, long value)
    {
        Name = name;
        Value = value;
    }

    /// <summary>The label value as pprof prints it.</summary>
    public string Name { get; }

    /// <summary>The sum of the sample values with this label value.</summary>
    public long Value { get; }
}
