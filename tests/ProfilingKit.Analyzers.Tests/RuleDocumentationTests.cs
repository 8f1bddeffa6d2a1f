using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>Every rule has its docs/rules page, a help link to it, and a line in the release tracking file.</summary>
public class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AllDescriptors()) data.Add(descriptor.Id);
        return data;
    }

    [Fact]
    public void Every_analyzer_in_the_assembly_is_found()
    {
        Assert.NotEmpty(AllDescriptors());
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_help_link_points_at_the_rules_page_and_the_page_exists(string id)
    {
        var descriptor = AllDescriptors().First(d => d.Id == id);

        Assert.Equal(RuleIdentifiers.DocumentationBaseUrl + id + ".md", descriptor.HelpLinkUri);
        var page = Path.Combine(RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} needs its page {page}");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: ", text);
        Assert.Matches("```(csharp|xml)", text); // before/after code (XML for the rules about build settings)
        Assert.Contains($"dotnet_diagnostic.{id}.severity", text); // how to configure it
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_rule_is_listed_in_the_release_tracking_file_with_its_category_and_severity(string id)
    {
        var descriptor = AllDescriptors().First(d => d.Id == id);
        var unshipped = File.ReadAllLines(Path.Combine(RepositoryRoot(), "src", "ProfilingKit.Analyzers", "AnalyzerReleases.Unshipped.md"));

        Assert.Contains(unshipped, line => line.StartsWith($"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} |", StringComparison.Ordinal));
    }

    private static IReadOnlyList<DiagnosticDescriptor> AllDescriptors() =>
        typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(type => !type.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(type) && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(type => ((DiagnosticAnalyzer)Activator.CreateInstance(type)!).SupportedDiagnostics)
            .DistinctBy(descriptor => descriptor.Id)
            .OrderBy(descriptor => descriptor.Id, StringComparer.Ordinal)
            .ToList();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProfilingKit.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("ProfilingKit.sln not found above " + AppContext.BaseDirectory);
    }
}
