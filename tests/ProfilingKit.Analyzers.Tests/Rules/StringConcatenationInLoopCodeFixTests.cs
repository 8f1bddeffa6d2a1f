using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1001 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.StringConcatenationInLoopRule, ProfilingKit.CodeFixes.StringConcatenationInLoopCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class StringConcatenationInLoopCodeFixTests
{
    [Fact]
    public Task A_local_gets_a_builder_before_the_loop_an_append_inside_and_its_value_after() => VerifyPK1001.CodeFix(
        """
        class C
        {
            public static string MemoryIntensiveFunc()
            {
                var s = string.Empty;
                for (var i = 0; i < 10_000; i++)
                {
                    {|PK1001:s += i.ToString()|};
                }

                return s;
            }
        }
        """,
        """
        class C
        {
            public static string MemoryIntensiveFunc()
            {
                var s = string.Empty;
                var sBuilder = new System.Text.StringBuilder(s);
                for (var i = 0; i < 10_000; i++)
                {
                    sBuilder.Append(i);
                }

                s = sBuilder.ToString();
                return s;
            }
        }
        """);

    [Fact]
    public Task With_using_System_Text_in_scope_the_type_name_is_short() => VerifyPK1001.CodeFix(
        """
        using System.Text;

        class C
        {
            string Join(string[] names)
            {
                var result = "";
                foreach (var name in names) {|PK1001:result += name|};
                return result;
            }
        }
        """,
        """
        using System.Text;

        class C
        {
            string Join(string[] names)
            {
                var result = "";
                var resultBuilder = new StringBuilder(result);
                foreach (var name in names) resultBuilder.Append(name);
                result = resultBuilder.ToString();
                return result;
            }
        }
        """);

    [Fact]
    public Task A_keyword_name_keeps_its_at_sign() => VerifyPK1001.CodeFix(
        """
        class C
        {
            string Join(string[] names)
            {
                var @string = "";
                foreach (var name in names) {|PK1001:@string += name|};
                return @string;
            }
        }
        """,
        """
        class C
        {
            string Join(string[] names)
            {
                var @string = "";
                var stringBuilder = new System.Text.StringBuilder(@string);
                foreach (var name in names) stringBuilder.Append(name);
                @string = stringBuilder.ToString();
                return @string;
            }
        }
        """);

    [Fact]
    public Task Chained_concatenations_and_Concat_become_chained_appends() => VerifyPK1001.CodeFix(
        """
        class C
        {
            string Join(string[] names, int count)
            {
                var s = "";
                foreach (var name in names)
                {
                    {|PK1001:s = s + name + ": " + count|};
                    {|PK1001:s += "(" + name + ")"|};
                    {|PK1001:s = string.Concat(s, name, ";")|};
                }

                return s;
            }
        }
        """,
        """
        class C
        {
            string Join(string[] names, int count)
            {
                var s = "";
                var sBuilder = new System.Text.StringBuilder(s);
                foreach (var name in names)
                {
                    sBuilder.Append(name).Append(": ").Append(count);
                    sBuilder.Append('(').Append(name).Append(')');
                    sBuilder.Append(name).Append(';');
                }

                s = sBuilder.ToString();
                return s;
            }
        }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task From_CSharp_10_an_interpolated_string_is_appended_through_the_builders_handler(LanguageVersion version) => VerifyPK1001.CodeFix(
        """
        class C
        {
            string Table(double[] values)
            {
                var s = "";
                for (var i = 0; i < values.Length; i++)
                {
                    {|PK1001:s = $"{s}{i}: {values[i]:F2}\n"|};
                }

                return s;
            }
        }
        """,
        """
        class C
        {
            string Table(double[] values)
            {
                var s = "";
                var sBuilder = new System.Text.StringBuilder(s);
                for (var i = 0; i < values.Length; i++)
                {
                    sBuilder.Append($"{i}: {values[i]:F2}\n");
                }

                s = sBuilder.ToString();
                return s;
            }
        }
        """,
        version);

    [Fact]
    public Task In_CSharp_9_an_interpolated_string_becomes_an_append_per_part() => VerifyPK1001.CodeFix(
        """
        class C
        {
            string Table(double[] values)
            {
                var s = "";
                for (var i = 0; i < values.Length; i++)
                {
                    {|PK1001:s = $"{s}{i}: {values[i]}\n"|};
                }

                return s;
            }
        }
        """,
        """
        class C
        {
            string Table(double[] values)
            {
                var s = "";
                var sBuilder = new System.Text.StringBuilder(s);
                for (var i = 0; i < values.Length; i++)
                {
                    sBuilder.Append(i).Append(": ").Append(values[i]).Append('\n');
                }

                s = sBuilder.ToString();
                return s;
            }
        }
        """,
        LanguageVersion.CSharp9);

    [Fact]
    public Task In_CSharp_9_a_formatted_hole_has_no_equivalent_append_and_gets_no_fix() => VerifyPK1001.CodeFix(
        """
        class C
        {
            string Table(double[] values)
            {
                var s = "";
                for (var i = 0; i < values.Length; i++)
                {
                    {|PK1001:s = $"{s}{values[i]:F2}"|};
                }

                return s;
            }
        }
        """,
        """
        class C
        {
            string Table(double[] values)
            {
                var s = "";
                for (var i = 0; i < values.Length; i++)
                {
                    {|PK1001:s = $"{s}{values[i]:F2}"|};
                }

                return s;
            }
        }
        """,
        LanguageVersion.CSharp9);

    [Fact]
    public Task An_inner_loop_gets_its_builder_in_the_outer_loop_body_where_the_string_is_declared() => VerifyPK1001.CodeFix(
        """
        using System.Collections.Generic;

        class C
        {
            void Print(List<int[]> rows)
            {
                foreach (var row in rows)
                {
                    var line = "";
                    foreach (var cell in row)
                    {
                        {|PK1001:line += cell + ";"|};
                    }

                    System.Console.WriteLine(line);
                }
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            void Print(List<int[]> rows)
            {
                foreach (var row in rows)
                {
                    var line = "";
                    var lineBuilder = new System.Text.StringBuilder(line);
                    foreach (var cell in row)
                    {
                        lineBuilder.Append(cell).Append(';');
                    }

                    line = lineBuilder.ToString();
                    System.Console.WriteLine(line);
                }
            }
        }
        """);

    [Fact]
    public Task Names_in_use_are_not_reused_and_two_loops_get_two_builders() => VerifyPK1001.CodeFix(
        """
        class C
        {
            string Build(string[] a, string[] b)
            {
                var sBuilder = 0;
                var s = "";
                foreach (var x in a) {|PK1001:s += x|};
                foreach (var y in b) {|PK1001:s += y|};
                return s + sBuilder;
            }
        }
        """,
        """
        class C
        {
            string Build(string[] a, string[] b)
            {
                var sBuilder = 0;
                var s = "";
                var sBuilder2 = new System.Text.StringBuilder(s);
                foreach (var x in a) sBuilder2.Append(x);
                s = sBuilder2.ToString();
                var sBuilder3 = new System.Text.StringBuilder(s);
                foreach (var y in b) sBuilder3.Append(y);
                s = sBuilder3.ToString();
                return s + sBuilder;
            }
        }
        """);

    [Fact]
    public Task A_start_value_nullable_analysis_knows_is_not_null_can_seed_the_builder() => VerifyPK1001.CodeFix(
        """
        #nullable enable
        class C
        {
            string Join(string[] names, string header)
            {
                var s = header.Trim();
                s = s + ":";
                foreach (var name in names) {|PK1001:s += name|};
                return s;
            }
        }
        """,
        """
        #nullable enable
        class C
        {
            string Join(string[] names, string header)
            {
                var s = header.Trim();
                s = s + ":";
                var sBuilder = new System.Text.StringBuilder(s);
                foreach (var name in names) sBuilder.Append(name);
                s = sBuilder.ToString();
                return s;
            }
        }
        """);

    [Fact]
    public Task Where_the_rewrite_could_change_behaviour_it_is_reported_without_a_fix() => VerifyPK1001.CodeFix(
        Unfixable, Unfixable);

    private const string Unfixable = """
        using System;
        using System.Collections.Generic;

        class C
        {
            string field = "";

            void Cases(string[] values, string parameter, char[] chars, List<Func<string>> later)
            {
                foreach (var value in values) {|PK1001:field += value|};         // other code may read a field during the loop
                foreach (var value in values) {|PK1001:parameter += value|};     // a parameter may be a ref/out alias or captured elsewhere

                var read = "";
                foreach (var value in values)
                {
                    {|PK1001:read += value|};
                    if (read.Length > 80) Console.WriteLine(read);              // read inside the loop
                }

                var captured = "";
                later.Add(() => captured);
                foreach (var value in values) {|PK1001:captured += value|};    // a lambda sees it

                var prepended = "";
                foreach (var value in values) {|PK1001:prepended = value + prepended|}; // not an append

                var formatted = "";
                foreach (var value in values) {|PK1001:formatted = string.Format("{0}{1}", formatted, value)|};

                var characters = "";
                foreach (var value in values) {|PK1001:characters += chars|};  // concatenation gives "System.Char[]", Append(char[]) the characters

                var passed = "";
                foreach (var value in values) {|PK1001:passed += value|};
                Change(ref passed);

                string maybeNull = null;
                foreach (var value in values) {|PK1001:maybeNull += value|};   // with no iteration, null would come out as ""

                var unknown = parameter.Trim();
                foreach (var value in values) {|PK1001:unknown += value|};     // not known to be non-null (nullable analysis is off here)

                var value2 = "";
                foreach (var value in values) Console.WriteLine({|PK1001:value2 += value|}); // the new value is used in place
            }

            static void Change(ref string s) { }
        }
        """;
}
