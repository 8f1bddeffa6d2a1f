using System.Globalization;

namespace ProfilingKit.Pprof.Reports;

/// <summary>
/// Values and percentages as go tool pprof prints them (google/pprof internal/measurement): sizes in
/// powers of 1024 (B, kB, MB…), times from ns to hrs, counts as plain numbers, two decimals with
/// trailing ".00" cut, and Go's exact rounding (ties to even on the exact binary value).
/// </summary>
public static class Measurement
{
    private static readonly UnitFamily[] Families =
    [
        new("B", [new("B", 1, "b", "byte"), new("kB", 1L << 10, "kb", "kbyte", "kilobyte"), new("MB", 1L << 20, "mb", "mbyte", "megabyte"),
            new("GB", 1L << 30, "gb", "gbyte", "gigabyte"), new("TB", 1L << 40, "tb", "tbyte", "terabyte"), new("PB", 1L << 50, "pb", "pbyte", "petabyte")]),
        new("s", [new("ns", 1, "ns", "nanosecond"), new("us", 1e3, "μs", "us", "microsecond"), new("ms", 1e6, "ms", "millisecond"),
            new("s", 1e9, "s", "sec", "second"), new("hrs", 3600e9, "hour", "hr")]),
    ];

    /// <summary>
    /// Converts <paramref name="value"/> in <paramref name="fromUnit"/> to <paramref name="toUnit"/>;
    /// <c>auto</c> or <c>minimum</c> pick the largest unit the value reaches. Returns the number and
    /// the unit's short name, "" for counts and units pprof does not know.
    /// </summary>
    public static (double Value, string Unit) Scale(long value, string fromUnit, string toUnit)
    {
        if (value < 0 && -value > 0)
        {
            var (scaled, unit) = Scale(-value, fromUnit, toUnit);
            return (-scaled, unit);
        }

        foreach (var family in Families)
        {
            var from = family.Find(fromUnit);
            if (from is null) continue;
            var v = value * from.Factor;
            if (toUnit is "minimum" or "auto")
            {
                UnitName? best = null;
                foreach (var unit in family.Units)
                {
                    if ((best is null || unit.Factor >= best.Factor) && v / unit.Factor >= 1.0) best = unit;
                }

                best ??= family.Find(family.DefaultUnit)!;
                return (v / best.Factor, best.Name);
            }

            var to = family.Find(toUnit) ?? family.Find(family.DefaultUnit)!;
            return (v / to.Factor, to.Name);
        }

        return toUnit is "count" or "sample" or "unit" or "minimum" or "auto" ? (value, "") : (value, toUnit);
    }

    /// <summary>A value as pprof labels it in <paramref name="toUnit"/> (such as <c>976.56kB</c>, <c>1.50s</c>, <c>16</c>, <c>0</c>).</summary>
    public static string ScaledLabel(long value, string fromUnit, string toUnit)
    {
        var (scaled, unit) = Scale(value, fromUnit, toUnit);
        var text = FixedPoint(scaled, 2);
        if (text.EndsWith(".00", StringComparison.Ordinal)) text = text.Substring(0, text.Length - 3);
        return text is "0" or "-0" ? "0" : text + unit;
    }

    /// <summary>A value in the largest unit it reaches, as pprof's <c>measurement.Label</c>.</summary>
    public static string Label(long value, string unit) => ScaledLabel(value, unit, "auto");

    /// <summary>
    /// <paramref name="value"/> as a share of <paramref name="total"/>, six characters wide as pprof
    /// prints it: <c>  100%</c>, <c>79.74%</c>, <c> 0.33%</c> (two significant digits below 1%).
    /// </summary>
    public static string Percentage(long value, long total)
    {
        var ratio = total != 0 ? Math.Abs((double)value / total) * 100 : 0;
        if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
        if (ratio >= 1.0) return FixedPoint(ratio, 2).PadLeft(5) + "%";
        return SignificantDigits(ratio).PadLeft(5) + "%";
    }

    /// <summary>Go's <c>%.Nf</c>: <paramref name="decimals"/> digits after the point, the exact binary value rounded half to even.</summary>
    public static string FixedPoint(double value, int decimals)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return value.ToString(CultureInfo.InvariantCulture);

        // .NET prints the exact decimal expansion of a double for any precision; round that as Go does.
        var exact = Math.Abs(value).ToString("F" + (decimals + 40).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var point = exact.IndexOf('.');
        var digits = (exact.Substring(0, point) + exact.Substring(point + 1)).ToCharArray();
        var keep = point + decimals;
        var rest = new string(digits, keep, digits.Length - keep);
        var roundUp = rest[0] > '5' || (rest[0] == '5' && (rest.Substring(1).Trim('0').Length > 0 || (keep > 0 && (digits[keep - 1] - '0') % 2 == 1)));
        var kept = new string(digits, 0, keep);
        if (roundUp) kept = Increment(kept);
        var integerLength = kept.Length - decimals;
        var text = decimals == 0 ? kept : kept.Substring(0, integerLength) + "." + kept.Substring(integerLength);
        return value < 0 || (value == 0 && BitConverter.DoubleToInt64Bits(value) < 0) ? "-" + text : text;
    }

    private static string Increment(string digits)
    {
        var chars = digits.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] < '9')
            {
                chars[i]++;
                return new string(chars);
            }

            chars[i] = '0';
        }

        return "1" + new string(chars);
    }

    /// <summary>Go's <c>%.2g</c> for a non-negative ratio below 1.</summary>
    private static string SignificantDigits(double ratio) => ratio.ToString("g2", CultureInfo.InvariantCulture);

    private sealed class UnitName(string name, double factor, params string[] aliases)
    {
        public string Name { get; } = name;

        public double Factor { get; } = factor;

        public string[] Aliases { get; } = aliases;
    }

    private sealed class UnitFamily(string defaultUnit, UnitName[] units)
    {
        public string DefaultUnit { get; } = defaultUnit;

        public UnitName[] Units { get; } = units;

        /// <summary>pprof's sniffUnit: lower case, a plural "s" dropped from names longer than two letters.</summary>
        public UnitName? Find(string unit)
        {
            unit = unit.ToLowerInvariant();
            if (unit.Length > 2 && unit.EndsWith("s", StringComparison.Ordinal)) unit = unit.Substring(0, unit.Length - 1);
            return Units.FirstOrDefault(u => u.Aliases.Contains(unit));
        }
    }
}
