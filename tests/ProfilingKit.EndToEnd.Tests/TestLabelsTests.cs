using System.Globalization;
using ProfilingKit.Testing;
using Xunit.Abstractions;

namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// One fresh VSTest project from the packed package with tests of three frameworks side by side
/// (xunit 2, NUnit and MSTest, each with its adapter: VSTest runs them all in one test host), every
/// test allocating a known amount across awaits, xunit's two classes in parallel. Each test writes
/// what its threads allocated (the truth) beside the build output.
/// </summary>
public sealed class TestLabelsProject
{
    public const string Name = "LabelledTests";

    private const string WorkSource = """
        namespace LabelledTests;

        public static class Work
        {
            public static object? Sink;

            /// <summary>Megabytes of 1000-byte arrays, one a chunk with an await between chunks; the bytes the chunks' threads allocated go to truth/TEST.</summary>
            public static async Task AllocateAsync(string test, int megabytes)
            {
                long allocated = 0;
                for (var m = 0; m < megabytes; m++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < 1000; i++) Sink = new byte[1000];
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                    await Task.Yield();
                }

                Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "truth"));
                File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "truth", test), allocated.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        """;

    private const string TestsSource = """
        namespace LabelledTests;

        public class XunitSmall
        {
            [Xunit.Fact]
            public Task Allocates_40_MB() => Work.AllocateAsync("LabelledTests.XunitSmall.Allocates_40_MB", 40);
        }

        public class XunitLarge
        {
            [Xunit.Fact]
            public Task Allocates_120_MB() => Work.AllocateAsync("LabelledTests.XunitLarge.Allocates_120_MB", 120);
        }

        public class NUnitTests
        {
            [NUnit.Framework.Test]
            public Task Allocates_40_MB() => Work.AllocateAsync("LabelledTests.NUnitTests.Allocates_40_MB", 40);
        }

        [Microsoft.VisualStudio.TestTools.UnitTesting.TestClass]
        public class MSTestTests
        {
            [Microsoft.VisualStudio.TestTools.UnitTesting.TestMethod]
            public Task Allocates_40_MB() => Work.AllocateAsync("LabelledTests.MSTestTests.Allocates_40_MB", 40);
        }
        """;

    public TestLabelsProject()
    {
        var package = PackedPackage.Shared;
        Directory = package.CreateProject(Name, new Dictionary<string, string>
        {
            [Name + ".csproj"] = ProfiledTestProjects.VSTestProjectFile(
                package.Version,
                "<TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings>",
                """
                <PackageReference Include="NUnit" Version="4.4.0" />
                <PackageReference Include="NUnit3TestAdapter" Version="5.2.0" />
                <PackageReference Include="MSTest.TestFramework" Version="4.0.2" />
                <PackageReference Include="MSTest.TestAdapter" Version="4.0.2" />
                """),
            ["Work.cs"] = WorkSource,
            ["Tests.cs"] = TestsSource,
        });
        Output = CommandLine.Dotnet(Directory, package.CommandEnvironment, "test");
        Profile = ProfiledTestProjects.ProfilePath(Directory, Name);
        var truth = Path.Combine(Directory, "bin", "Debug", "net10.0", "truth");
        Truth = System.IO.Directory.GetFiles(truth).ToDictionary(file => Path.GetFileName(file), file => double.Parse(File.ReadAllText(file), CultureInfo.InvariantCulture));
    }

    public string Directory { get; }

    public string Output { get; }

    public string Profile { get; }

    /// <summary>Each test's fully qualified name and the bytes its threads allocated in its chunks.</summary>
    public IReadOnlyDictionary<string, double> Truth { get; }
}

/// <summary>
/// Every sample of a test profile carries the <c>test</c> it ran in (the fully qualified test name), for
/// xunit, NUnit and MSTest, tests running in parallel and across awaits; <c>go tool pprof -tagfocus=test=...</c>
/// isolates one test, at what it allocated.
/// </summary>
public sealed class TestLabelsTests(TestLabelsProject project, ITestOutputHelper log) : IClassFixture<TestLabelsProject>
{
    [Fact]
    public void Tagfocus_isolates_each_test_at_its_measured_bytes_and_share()
    {
        Assert.Equal(4, project.Truth.Count);
        var focused = project.Truth.Keys.ToDictionary(test => test, test =>
        {
            var top = GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", $"-tagfocus=test=^{test.Replace(".", "\\.", StringComparison.Ordinal)}$", project.Profile).EnsureSuccess().StandardOutput;
            log.WriteLine(top);
            return GoPprof.ParseTop(top).Rows.Sum(row => row.Flat); // "of X total" stays the whole profile's under -tagfocus
        });

        var truthTotal = project.Truth.Values.Sum();
        var profileTotal = focused.Values.Sum();
        foreach (var (test, truth) in project.Truth)
        {
            log.WriteLine($"{test}: {focused[test]:N0} bytes in the profile, {truth:N0} measured");
            // 40 MB is about 400 samples: several standard errors inside ±15%.
            Assert.InRange(focused[test] / truth, 0.85, 1.15);
            Assert.InRange(focused[test] / profileTotal - truth / truthTotal, -0.05, 0.05);
        }
    }

    [Fact]
    public void Tags_lists_the_tests_and_each_framework_s_test_is_there()
    {
        var tags = GoPprof.Run("-tags", "-sample_index=alloc_space", project.Profile).EnsureSuccess().StandardOutput;

        Assert.Contains(" test: Total ", tags);
        foreach (var test in project.Truth.Keys) Assert.Contains("): " + test + "\n", tags);
    }

    [Fact]
    public void The_labels_cost_the_test_host_no_allocation_of_their_own()
    {
        // The CPU samplers' label timeline has no reader in a test host: it must not give each test thread its ring.
        var top = GoPprof.Run("-top", "-nodecount=1000", "-sample_index=alloc_space", "-focus=^ProfilingKit\\.Labels\\.", project.Profile).EnsureSuccess().StandardOutput;
        Assert.DoesNotContain(GoPprof.ParseTop(top).Rows, row => row.Name.StartsWith("ProfilingKit.Labels.LabelTimeline", StringComparison.Ordinal));
    }
}
