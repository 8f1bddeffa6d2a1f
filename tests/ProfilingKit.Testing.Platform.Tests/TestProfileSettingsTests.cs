using ProfilingKit.TestProfiles;

namespace ProfilingKit.Testing.Platform.Tests;

public class TestProfileSettingsTests
{
    [Fact]
    public void The_settings_the_targets_write_are_read_with_the_variables_in_order()
    {
        var settings = TestProfileSettings.From(Settings(new()
        {
            [TestProfileSettings.TraceDirectoryKey] = "/p/obj/pprof/net10.0/",
            [TestProfileSettings.OutputFileKey] = "/p/TestResults/pprof/P.allocs.pb.gz",
            [TestProfileSettings.FocusKey] = "^P\\.",
            [TestProfileSettings.EnvironmentVariablesKey] = "DOTNET_EnableEventPipe=1;DOTNET_EventPipeOutputPath=/p/obj/pprof/net10.0/testhost_{pid}.nettrace;DOTNET_EventPipeConfig=Microsoft-Windows-DotNETRuntime:0x80000020018:5",
        }));

        Assert.NotNull(settings);
        Assert.Equal("/p/obj/pprof/net10.0/", settings.TraceDirectory);
        Assert.Equal("/p/TestResults/pprof/P.allocs.pb.gz", settings.OutputFile);
        Assert.Equal("^P\\.", settings.Focus);
        Assert.Equal(
            [
                new("DOTNET_EnableEventPipe", "1"),
                new("DOTNET_EventPipeOutputPath", "/p/obj/pprof/net10.0/testhost_{pid}.nettrace"),
                new("DOTNET_EventPipeConfig", "Microsoft-Windows-DotNETRuntime:0x80000020018:5"),
            ],
            settings.EnvironmentVariables);
    }

    [Fact]
    public void A_value_may_hold_an_equals_sign_the_first_one_ends_the_name()
    {
        var settings = TestProfileSettings.From(Settings(new()
        {
            [TestProfileSettings.TraceDirectoryKey] = "/t/",
            [TestProfileSettings.OutputFileKey] = "/o.allocs.pb.gz",
            [TestProfileSettings.EnvironmentVariablesKey] = "A=b=c",
        }));

        Assert.Equal([new("A", "b=c")], settings!.EnvironmentVariables);
        Assert.Equal("", settings.Focus);
    }

    [Theory]
    [InlineData(TestProfileSettings.TraceDirectoryKey)]
    [InlineData(TestProfileSettings.OutputFileKey)]
    [InlineData(TestProfileSettings.EnvironmentVariablesKey)]
    public void Without_the_trace_directory_the_output_or_the_variables_there_is_no_profile_to_make(string missing)
    {
        var values = new Dictionary<string, string>
        {
            [TestProfileSettings.TraceDirectoryKey] = "/t/",
            [TestProfileSettings.OutputFileKey] = "/o.allocs.pb.gz",
            [TestProfileSettings.EnvironmentVariablesKey] = "A=1",
        };
        values.Remove(missing);

        Assert.Null(TestProfileSettings.From(Settings(values)));
    }

    [Fact]
    public void The_gates_are_read_as_the_targets_join_them()
    {
        var settings = TestProfileSettings.From(Settings(new()
        {
            [TestProfileSettings.TraceDirectoryKey] = "/t/",
            [TestProfileSettings.OutputFileKey] = "/o.allocs.pb.gz",
            [TestProfileSettings.EnvironmentVariablesKey] = "A=1",
            // As build/ProfilingKit.targets joins two DebugPprofBudget items (a run's bytes; objects per call, with a '|' in its test pattern).
            [TestProfileSettings.BudgetsKey] = "work one\u001FP.Work.*\u001F\u001F80MB\u001F\u001F\u001Ethe tests\u001F\u001FP.<Run>g__Local|0_0\u001F\u001F200\u001F1000",
            [TestProfileSettings.BaselineKey] = "/p/base.allocs.pb.gz",
            [TestProfileSettings.BaselineToleranceKey] = "25%",
        }));

        Assert.Equal([new BudgetItem("work one", "P.Work.*", "", "80MB"), new BudgetItem("the tests", "", "P.<Run>g__Local|0_0", "", "200", "1000")], settings!.Budgets);
        Assert.Equal("/p/base.allocs.pb.gz", settings.Baseline);
        Assert.Equal("25%", settings.BaselineTolerance);
    }

    [Fact]
    public void Without_gates_there_are_no_budgets_and_no_baseline()
    {
        var settings = TestProfileSettings.From(Settings(new()
        {
            [TestProfileSettings.TraceDirectoryKey] = "/t/",
            [TestProfileSettings.OutputFileKey] = "/o.allocs.pb.gz",
            [TestProfileSettings.EnvironmentVariablesKey] = "A=1",
            [TestProfileSettings.BudgetsKey] = "",
        }));

        Assert.Empty(settings!.Budgets);
        Assert.Equal("", settings.Baseline);
        Assert.Equal("", settings.BaselineTolerance);
    }

    [Fact]
    public void A_budget_with_missing_fields_keeps_its_name_and_gets_no_size_so_it_is_reported()
    {
        var settings = TestProfileSettings.From(Settings(new()
        {
            [TestProfileSettings.TraceDirectoryKey] = "/t/",
            [TestProfileSettings.OutputFileKey] = "/o.allocs.pb.gz",
            [TestProfileSettings.EnvironmentVariablesKey] = "A=1",
            [TestProfileSettings.BudgetsKey] = "cut\u001FP.*",
        }));

        Assert.Equal([new BudgetItem("cut", "P.*", "", "")], settings!.Budgets);
    }

    [Fact]
    public void An_app_whose_build_asked_for_no_profile_has_no_settings()
    {
        Assert.Null(TestProfileSettings.FromAppContext());
    }

    private static Func<string, string?> Settings(Dictionary<string, string> values) => key => values.GetValueOrDefault(key);
}
