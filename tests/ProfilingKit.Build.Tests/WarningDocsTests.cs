using System.Reflection;
using System.Text.RegularExpressions;
using ProfilingKit.TestProfiles;

namespace ProfilingKit.Build.Tests;

/// <summary>Every PKB warning the tasks, the platform extension or the targets can give has its row in docs/test-profiles.md#warnings.</summary>
public class WarningDocsTests
{
    [Fact]
    public void Every_PKB_code_has_a_row_in_the_warnings_table()
    {
        var root = RepositoryRoot();
        var docs = File.ReadAllText(Path.Combine(root, "docs", "test-profiles.md"));
        var fromCode = typeof(TraceProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(field => (string)field.GetValue(null)!);
        var fromTargets = Regex.Matches(File.ReadAllText(Path.Combine(root, "build", "ProfilingKit.targets")), @"Code=""(PKB\d{3})""").Select(match => match.Groups[1].Value);
        var codes = fromCode.Concat(fromTargets).Distinct().ToList();

        Assert.Contains("PKB001", codes);
        Assert.Contains("PKB010", codes);
        Assert.All(codes, code => Assert.Matches($@"(?m)^\| {code} \| ", docs));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ProfilingKit.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException("Could not find ProfilingKit.sln above " + AppContext.BaseDirectory);
    }
}
