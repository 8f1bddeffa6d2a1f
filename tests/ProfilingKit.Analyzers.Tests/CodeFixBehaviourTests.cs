using Microsoft.CodeAnalysis;
using ProfilingKit.CodeFixes;
using VerifyPK1001 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.StringConcatenationInLoopRule, ProfilingKit.CodeFixes.StringConcatenationInLoopCodeFix>;
using VerifyPK1002 = ProfilingKit.Analyzers.Tests.Verify<ProfilingKit.Analyzers.TemporaryStringInStringBuilderAnalyzer, ProfilingKit.CodeFixes.TemporaryStringInStringBuilderCodeFix>;
using VerifyPK1007 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CollectionPerIterationRule, ProfilingKit.CodeFixes.CollectionPerIterationCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Code fixes never make things worse (issue 17, item 4): each case that broke on real code is fixed
/// as the test says, and the fixed program, compiled and run, computes what the original did.
/// </summary>
public class CodeFixBehaviourTests
{
    [Fact]
    public async Task PK1001_keeps_blank_lines_and_appends_one_character_literals_as_chars()
    {
        const string Original = """
            static class Program
            {
                public static string Run()
                {
                    var names = new[] { "a", "b", "c" };
                    var result = "<";

                    // every name, then a separator
                    foreach (var name in names)
                    {
                        {|PK1001:result += name + ","|};

                        {|PK1001:result += ";"|};
                    }

                    return result;
                }
            }
            """;
        const string Fixed = """
            static class Program
            {
                public static string Run()
                {
                    var names = new[] { "a", "b", "c" };
                    var result = "<";

                    // every name, then a separator
                    var resultBuilder = new System.Text.StringBuilder(result);
                    foreach (var name in names)
                    {
                        resultBuilder.Append(name).Append(',');

                        resultBuilder.Append(';');
                    }

                    result = resultBuilder.ToString();
                    return result;
                }
            }
            """;

        await VerifyPK1001.CodeFix(Original, Fixed);
        Assert.Equal("<a,;b,;c,;", FixedCodeRun.AssertSameResult(Original, Fixed));
    }

    [Fact]
    public async Task PK1001_fixes_top_level_statements()
    {
        const string Original = """
            var s = "";
            for (var i = 0; i < 5; i++)
            {
                {|PK1001:s += i.ToString()|};
            }

            System.Console.Write(s);
            """;
        const string Fixed = """
            var s = "";
            var sBuilder = new System.Text.StringBuilder(s);
            for (var i = 0; i < 5; i++)
            {
                sBuilder.Append(i);
            }
            s = sBuilder.ToString();

            System.Console.Write(s);
            """;

        var test = new AnalyzerTest<HotMemberAnalyzer, StringConcatenationInLoopCodeFix>(new StringConcatenationInLoopRule(), Original);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        await VerifyRun.CodeFix(test, Fixed);
        Assert.Equal("01234", FixedCodeRun.AssertSameResult(Original, Fixed));
    }

    [Fact]
    public async Task PK1001_gives_two_strings_built_in_one_loop_a_builder_each_and_no_concatenation_between_them()
    {
        const string Original = """
            static class Program
            {
                public static string Run()
                {
                    var keys = "";
                    var values = "";
                    for (var i = 0; i < 4; i++)
                    {
                        {|PK1001:keys += i|};
                        {|PK1001:values += i * i + "|"|};
                    }

                    return keys + "=" + values;
                }
            }
            """;
        const string Fixed = """
            static class Program
            {
                public static string Run()
                {
                    var keys = "";
                    var values = "";
                    var keysBuilder = new System.Text.StringBuilder(keys);
                    var valuesBuilder = new System.Text.StringBuilder(values);
                    for (var i = 0; i < 4; i++)
                    {
                        keysBuilder.Append(i);
                        valuesBuilder.Append(i * i).Append('|');
                    }

                    values = valuesBuilder.ToString();
                    keys = keysBuilder.ToString();
                    return keys + "=" + values;
                }
            }
            """;

        await VerifyPK1001.CodeFix(Original, Fixed);
        Assert.Equal("0123=0|1|4|9|", FixedCodeRun.AssertSameResult(Original, Fixed));
    }

    [Fact]
    public async Task PK1002_appends_one_character_literals_as_chars()
    {
        const string Original = """
            using System.Text;

            static class Program
            {
                public static string Run()
                {
                    var sb = new StringBuilder();
                    for (var i = 0; i < 3; i++) sb.Append({|PK1002:i + "-"|});
                    return sb.ToString();
                }
            }
            """;
        const string Fixed = """
            using System.Text;

            static class Program
            {
                public static string Run()
                {
                    var sb = new StringBuilder();
                    for (var i = 0; i < 3; i++) sb.Append(i).Append('-');
                    return sb.ToString();
                }
            }
            """;

        await VerifyPK1002.CodeFix(Original, Fixed);
        Assert.Equal("0-1-2-", FixedCodeRun.AssertSameResult(Original, Fixed));
    }

    [Fact]
    public async Task PK1007_does_not_move_a_creation_out_of_a_branch()
    {
        // Hoisted out of the else-if, the list would be created on every row, needed or not.
        const string Source = """
            using System.Collections.Generic;

            static class Program
            {
                public static string Run()
                {
                    var total = 0;
                    for (var row = 0; row < 10; row++)
                    {
                        if (row % 2 == 0)
                        {
                            total += row;
                        }
                        else if (row % 3 == 0)
                        {
                            var cells = {|PK1007:new List<object>()|};
                            cells.Add(row);
                            total += cells.Count;
                        }
                    }

                    return total.ToString();
                }
            }
            """;

        await VerifyPK1007.CodeFix(Source, Source);
        Assert.Equal("22", FixedCodeRun.Run(FixedCodeRun.WithoutMarkup(Source)));
    }

    [Fact]
    public async Task PK1007_hoists_a_creation_that_runs_on_every_iteration_and_the_result_is_unchanged()
    {
        const string Original = """
            using System.Collections.Generic;

            static class Program
            {
                public static string Run()
                {
                    var total = 0;
                    for (var row = 0; row < 5; row++)
                    {
                        var cells = {|PK1007:new List<int>()|};
                        for (var column = 0; column <= row; column++) cells.Add(column);
                        total += cells.Count;
                    }

                    return total.ToString();
                }
            }
            """;
        const string Fixed = """
            using System.Collections.Generic;

            static class Program
            {
                public static string Run()
                {
                    var total = 0;
                    var cells = new List<int>();
                    for (var row = 0; row < 5; row++)
                    {
                        cells.Clear();
                        for (var column = 0; column <= row; column++) cells.Add(column);
                        total += cells.Count;
                    }

                    return total.ToString();
                }
            }
            """;

        await VerifyPK1007.CodeFix(Original, Fixed);
        Assert.Equal("15", FixedCodeRun.AssertSameResult(Original, Fixed));
    }
}
