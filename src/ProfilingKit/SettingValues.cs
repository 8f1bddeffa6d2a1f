using System.Globalization;
using ProfilingKit.Diagnostics;

namespace ProfilingKit;

/// <summary>Reads a setting that the environment may override, at start-up; a bad value is logged and the next one used.</summary>
internal static class SettingValues
{
    /// <summary>
    /// The whole number in <paramref name="variable"/> when it holds one from <paramref name="min"/> to
    /// <paramref name="max"/> (an ending <paramref name="unit"/> allowed, e.g. <c>%</c>), else
    /// <paramref name="value"/>, the option's, when that is in range, else <paramref name="fallback"/>.
    /// </summary>
    /// <remarks><paramref name="what"/> says what a good value is, for the log line: "a whole number of seconds from 1"; <paramref name="option"/> names the option in it.</remarks>
    public static int WholeNumber(string variable, string option, int value, int fallback, int min, int max, string what, string unit = "")
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            var number = text.Trim();
            if (unit.Length > 0 && number.EndsWith(unit, StringComparison.OrdinalIgnoreCase)) number = number[..^unit.Length].TrimEnd();
            if (int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var fromEnvironment) && fromEnvironment >= min && fromEnvironment <= max)
            {
                return fromEnvironment;
            }

            ProfilingKitLog.Error($"{variable}='{text}' is not {what}; using {(value >= min && value <= max ? value : fallback)}.");
        }

        if (value >= min && value <= max) return value;

        ProfilingKitLog.Error($"{option}={value} is not {what}; using {fallback}.");
        return fallback;
    }

    /// <summary><paramref name="variable"/> when it says true (<c>1</c>, <c>true</c>) or false (<c>0</c>, <c>false</c>), else <paramref name="value"/>, the option's.</summary>
    public static bool Flag(string variable, bool value)
    {
        var text = Environment.GetEnvironmentVariable(variable)?.Trim();
        if (string.IsNullOrEmpty(text)) return value;
        if (text is "1" || text.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (text is "0" || text.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;

        ProfilingKitLog.Error($"{variable}='{text}' is neither true nor false; using {(value ? "true" : "false")}.");
        return value;
    }
}
