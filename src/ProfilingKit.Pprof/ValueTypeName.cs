namespace ProfilingKit.Pprof;

/// <summary>A sample or period type as pprof names it, such as <c>alloc_space</c> in <c>bytes</c>.</summary>
public readonly struct ValueTypeName : IEquatable<ValueTypeName>
{
    /// <summary>Creates a value type from its type and unit.</summary>
    public ValueTypeName(string type, string unit)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        Unit = unit ?? throw new ArgumentNullException(nameof(unit));
    }

    /// <summary>The type, such as <c>alloc_space</c>.</summary>
    public string Type { get; }

    /// <summary>The unit, such as <c>bytes</c>.</summary>
    public string Unit { get; }

    /// <inheritdoc />
    public bool Equals(ValueTypeName other) => Type == other.Type && Unit == other.Unit;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ValueTypeName other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => (Type?.GetHashCode() ?? 0) * 31 + (Unit?.GetHashCode() ?? 0);

    /// <inheritdoc />
    public override string ToString() => Type + "/" + Unit;
}
