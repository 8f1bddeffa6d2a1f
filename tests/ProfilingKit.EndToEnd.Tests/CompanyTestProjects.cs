namespace ProfilingKit.EndToEnd.Tests;

/// <summary>
/// A test suite shaped like a company's: the test project MyCompany.Tests (one framework, in
/// <c>TargetFrameworks</c>) tests the library MyCompany.Lib, a ProjectReference. The tests allocate
/// directly and through the library, which allocates through the framework (StringBuilder), so the
/// flat top is the framework's. Run once on VSTest with EnableDebugPprof.
/// </summary>
public sealed class CompanyTestProjects
{
    public const string TestProject = "MyCompany.Tests";
    public const string LibraryMethod = "MyCompany.Lib.ReportBuilder.Build";
    public const string TestMethod = "MyCompany.Tests.DirectTests.Allocates_arrays";

    public const string LibrarySource = """
        using System.Runtime.CompilerServices;
        using System.Text;

        namespace MyCompany.Lib;

        public static class ReportBuilder
        {
            [MethodImpl(MethodImplOptions.NoInlining)]
            public static string Build(int rows)
            {
                var text = new StringBuilder();
                for (var i = 0; i < rows; i++) text.Append("row ").Append(i).Append('\n');
                return text.ToString();
            }
        }
        """;

    public const string TestsSource = """
        using System.Runtime.CompilerServices;

        namespace MyCompany.Tests;

        public class ReportTests
        {
            public static object? Sink;

            [Xunit.Fact]
            public void Builds_reports()
            {
                for (var i = 0; i < 2_000; i++) Sink = MyCompany.Lib.ReportBuilder.Build(1_000);
            }
        }

        public class DirectTests
        {
            public static object? Sink;

            [Xunit.Fact]
            [MethodImpl(MethodImplOptions.NoInlining)]
            public void Allocates_arrays()
            {
                for (var i = 0; i < 50_000; i++) Sink = new byte[1_000];
            }
        }
        """;

    public CompanyTestProjects()
    {
        Package = PackedPackage.Shared;
        var library = Package.CreateProject("MyCompany.Lib", new Dictionary<string, string>
        {
            ["MyCompany.Lib.csproj"] = """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                  </PropertyGroup>
                </Project>
                """,
            ["ReportBuilder.cs"] = LibrarySource,
        });
        TestDirectory = Package.CreateProject(TestProject, new Dictionary<string, string>
        {
            [TestProject + ".csproj"] = ProfiledTestProjects.VSTestProjectFile(
                Package.Version, "<TargetFrameworks>net10.0</TargetFrameworks>", $"""<ProjectReference Include="{Path.Combine(library, "MyCompany.Lib.csproj")}" />"""),
            ["Tests.cs"] = TestsSource,
        });

        Output = CommandLine.Dotnet(TestDirectory, Package.CommandEnvironment, "test", "-tl:off");
        Profile = ProfiledTestProjects.ProfilePath(TestDirectory, TestProject);
    }

    public PackedPackage Package { get; }

    public string TestDirectory { get; }

    /// <summary>What `dotnet test` printed.</summary>
    public string Output { get; }

    /// <summary>The profile at its default path, TestResults/pprof/MyCompany.Tests.allocs.pb.gz.</summary>
    public string Profile { get; }
}
