namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// How a report prints its values: in one output unit chosen as pprof's default <c>-unit=minimum</c>
/// does for tables (the unit of the smallest value shown, or a larger one when that is under 1% of
/// the total), or each value in its own best unit.
/// </summary>
public sealed class ValueFormat
{
    private ValueFormat(string sampleUnit, string outputUnit)
    {
        SampleUnit = sampleUnit;
        OutputUnit = outputUnit;
    }

    /// <summary>The unit of the profile's values, such as bytes.</summary>
    public string SampleUnit { get; }

    /// <summary>The unit values are printed in, or <c>minimum</c> for each value's own.</summary>
    public string OutputUnit { get; }

    /// <summary>Each value in the largest unit it reaches (traces, tags, list).</summary>
    public static ValueFormat PerValue(string sampleUnit) => new(sampleUnit, "minimum");

    /// <summary>pprof's selectOutputUnit over the rows a table shows and the report's total.</summary>
    public static ValueFormat ForRows(string sampleUnit, IEnumerable<CallGraphNode> rows, long total)
    {
        if (rows is null) throw new ArgumentNullException(nameof(rows));

        long minValue = 0;
        var any = false;
        foreach (var row in rows)
        {
            any = true;
            var value = Math.Abs(row.Flat);
            if (value == 0) value = Math.Abs(row.Cum);
            if (value > 0 && (minValue == 0 || value < minValue)) minValue = value;
        }

        if (!any) return new ValueFormat(sampleUnit, "minimum");
        var maxValue = total;
        if (minValue == 0) minValue = maxValue;
        var minUnit = Measurement.Scale(minValue, sampleUnit, "minimum").Unit;
        var maxUnit = Measurement.Scale(maxValue, sampleUnit, "minimum").Unit;
        var unit = minUnit;
        if (minUnit != maxUnit && minValue * 100 < maxValue) unit = Measurement.Scale(100 * minValue, sampleUnit, "minimum").Unit;
        return new ValueFormat(sampleUnit, unit.Length > 0 ? unit : sampleUnit);
    }

    /// <summary>A value as the report prints it, such as <c>976.56kB</c>.</summary>
    public string Format(long value) => Measurement.ScaledLabel(value, SampleUnit, OutputUnit);
}
