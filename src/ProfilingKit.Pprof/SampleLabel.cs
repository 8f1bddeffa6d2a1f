namespace ProfilingKit.Pprof;

/// <summary>A pprof sample label: a key with either a string or a number (with an optional unit).</summary>
public readonly struct SampleLabel
{
    private SampleLabel(string key, string? text, long number, string? numberUnit)
    {
        Key = key ?? throw new ArgumentNullException(nameof(key));
        Text = text;
        Number = number;
        NumberUnit = numberUnit;
    }

    /// <summary>The label's key.</summary>
    public string Key { get; }

    /// <summary>The string value, or <c>null</c> for a numeric label.</summary>
    public string? Text { get; }

    /// <summary>The numeric value of a numeric label.</summary>
    public long Number { get; }

    /// <summary>The unit of a numeric label, or <c>null</c>.</summary>
    public string? NumberUnit { get; }

    /// <summary>A label with a string value, shown by <c>go tool pprof -tags</c>.</summary>
    public static SampleLabel String(string key, string value) =>
        new(key, value ?? throw new ArgumentNullException(nameof(value)), 0, null);

    /// <summary>A label with a numeric value and an optional unit such as <c>bytes</c>.</summary>
    public static SampleLabel Numeric(string key, long value, string? unit = null) => new(key, null, value, unit);
}
