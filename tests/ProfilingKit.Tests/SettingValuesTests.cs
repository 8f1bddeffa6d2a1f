namespace ProfilingKit.Tests;

/// <summary>A setting from the environment wins when it is good; a bad one is one error line and the app runs on with the next good value.</summary>
public class SettingValuesTests
{
    private const string Option = nameof(DebugPprofOptions.StackMemoryMegabytes);

    [Theory]
    [InlineData("16", 16)]
    [InlineData(" 16 MB ", 16)]
    [InlineData("4096", 4096)]
    public void A_good_value_in_the_environment_wins_over_the_options_and_logs_nothing(string text, int expected)
    {
        var (value, lines) = Read(text, option: 8);

        Assert.Equal(expected, value);
        Assert.Empty(lines);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("0")]
    [InlineData("4097")]
    [InlineData("-5")]
    [InlineData("1.5")]
    public void A_bad_value_in_the_environment_is_one_error_line_and_the_options_value_applies(string text)
    {
        var (value, lines) = Read(text, option: 32);

        Assert.Equal(32, value);
        var line = Assert.Single(lines);
        Assert.Equal(DebugPprofLogLevel.Error, line.Level);
        Assert.Contains($"='{text}' is not a whole number of megabytes from 1 to 4096; using 32.", line.Message);
    }

    [Fact]
    public void A_bad_value_in_the_options_is_one_error_line_and_the_default_applies()
    {
        var (value, lines) = Read(text: null, option: 0);

        Assert.Equal(DebugPprofOptions.DefaultStackMemoryMegabytes, value);
        Assert.Equal($"{Option}=0 is not a whole number of megabytes from 1 to 4096; using {DebugPprofOptions.DefaultStackMemoryMegabytes}.", Assert.Single(lines).Message);
    }

    [Fact]
    public void The_stack_budget_is_the_settings_megabytes_in_bytes()
    {
        Assert.Equal(8L << 20, RuntimeProfiler.StackMemoryBytes(new DebugPprofOptions()));
        Assert.Equal(100L << 20, RuntimeProfiler.StackMemoryBytes(new DebugPprofOptions { StackMemoryMegabytes = 100 }));
    }

    /// <summary>Reads the value through a variable of this test's own (the process's environment is shared), with the log lines that name it.</summary>
    private static (int Value, List<(DebugPprofLogLevel Level, string Message)> Lines) Read(string? text, int option)
    {
        var variable = "PROFILINGKIT_TEST_SETTING_" + Guid.NewGuid().ToString("N");
        var lines = new List<(DebugPprofLogLevel, string)>();
        Environment.SetEnvironmentVariable(variable, text);
        DebugPprof.SetLogger((level, message) =>
        {
            if (message.Contains(variable, StringComparison.Ordinal) || message.StartsWith(Option + "=", StringComparison.Ordinal))
            {
                lock (lines) lines.Add((level, message));
            }
        });
        try
        {
            var value = SettingValues.WholeNumber(
                variable, Option, option, DebugPprofOptions.DefaultStackMemoryMegabytes, 1, 4096, "a whole number of megabytes from 1 to 4096", unit: "MB");
            return (value, lines);
        }
        finally
        {
            DebugPprof.SetLogger(null);
            Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
