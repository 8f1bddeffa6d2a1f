using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1001 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.StringConcatenationInLoopRule>;

namespace ProfilingKit.Analyzers.Tests;

public class StringConcatenationInLoopTests
{
    [Fact]
    public Task A_local_grown_with_plus_equals_in_a_for_loop_is_reported_by_name() => VerifyPK1001.Analyzer(
        """
        class C
        {
            string Build()
            {
                var s = string.Empty;
                for (var i = 0; i < 10_000; i++)
                {
                    {|#0:s += i.ToString()|};
                }

                return s;
            }
        }
        """,
        new[] { VerifyPK1001.Diagnostic("PK1001").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning).WithArguments("s") });

    [Fact]
    public Task Every_concatenation_form_that_includes_the_variable_is_reported() => VerifyPK1001.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            string Build(List<string> parts, int n)
            {
                var s = "";
                foreach (var part in parts)
                {
                    {|PK1001:s = s + part|};
                    {|PK1001:s = part + s|};
                    {|PK1001:s = "[" + (s + part) + "]"|};
                    {|PK1001:s += part + n|};
                    {|PK1001:s = string.Concat(s, part)|};
                    {|PK1001:s = string.Format("{0},{1}", s, part)|};
                    {|PK1001:s = "<" + $"{s}>"|};
                }

                return s;
            }
        }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task An_interpolated_string_including_the_variable_is_reported_in_every_language_version(LanguageVersion version) => VerifyPK1001.Analyzer(
        """
        class C
        {
            string Build(int[] values)
            {
                var s = "";
                foreach (var value in values)
                {
                    // From C# 10 the compiler builds this with DefaultInterpolatedStringHandler, but the
                    // result is still a new string holding a copy of s on every pass.
                    {|PK1001:s = $"{s}{value},"|};
                }

                return s;
            }
        }
        """,
        version);

    [Theory]
    [InlineData(LanguageVersion.CSharp12)] // binds string.Concat(params string[])
    [InlineData(LanguageVersion.CSharp14)] // binds string.Concat(params ReadOnlySpan<string>)
    public Task String_Concat_with_many_arguments_is_reported_whichever_params_overload_it_binds(LanguageVersion version) => VerifyPK1001.Analyzer(
        """
        class C
        {
            string Build(string[] values)
            {
                var s = "";
                foreach (var value in values)
                {
                    {|PK1001:s = string.Concat(s, "(", value, ")", ";")|};
                }

                return s;
            }
        }
        """,
        version);

    [Fact]
    public Task Fields_properties_static_fields_and_parameters_are_reported() => VerifyPK1001.Analyzer("""
        class Holder { public string Text { get; set; } = ""; }

        class C
        {
            static string log = "";
            string text = "";
            string Title { get; set; } = "";

            void Build(string[] values, string prefix, Holder holder)
            {
                foreach (var value in values)
                {
                    {|PK1001:text += value|};
                    {|PK1001:this.text = this.text + value|};
                    {|PK1001:Title += value|};
                    {|PK1001:log += value|};
                    {|PK1001:prefix += value|};
                    {|PK1001:holder.Text += value|};
                }
            }
        }
        """);

    [Fact]
    public Task While_do_and_for_increment_loops_are_reported() => VerifyPK1001.Analyzer("""
        class C
        {
            string Build(System.IO.TextReader reader)
            {
                var all = "";
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    {|PK1001:all += line|};
                }

                var padded = "";
                do
                {
                    {|PK1001:padded = padded + " "|};
                }
                while (padded.Length < 10);

                for (var dots = ""; dots.Length < 10; {|PK1001:dots += "."|})
                {
                }

                return all + padded;
            }
        }
        """);

    [Fact]
    public Task A_string_declared_in_an_outer_loop_and_grown_in_an_inner_loop_is_reported() => VerifyPK1001.Analyzer("""
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
        """);

    [Fact]
    public Task A_conditional_exit_after_the_concatenation_does_not_stop_the_next_iteration() => VerifyPK1001.Analyzer("""
        class C
        {
            string Build(string[] values)
            {
                var s = "";
                foreach (var value in values)
                {
                    {|PK1001:s += value|};
                    if (s.Length > 100) break;
                }

                for (var i = 0; i < values.Length; i++)
                {
                    switch (values[i])
                    {
                        case "x":
                            {|PK1001:s += "x"|};
                            break; // leaves the switch, not the loop
                    }
                }

                foreach (var value in values)
                {
                    if (value.Length == 0)
                    {
                        {|PK1001:s += "-"|};
                        continue;
                    }

                    s = value; // skipped by the continue above
                }

                return s;
            }
        }
        """);

    [Fact]
    public Task A_loop_inside_a_lambda_still_counts() => VerifyPK1001.Analyzer("""
        using System;

        class C
        {
            Func<string> Build(string[] values) => () =>
            {
                var s = "";
                foreach (var value in values) {|PK1001:s += value|};
                return s;
            };
        }
        """);

    [Fact]
    public Task A_primary_constructor_parameter_is_a_variable_like_any_other_in_CSharp_12() => VerifyPK1001.Analyzer(
        """
        class Log(string text)
        {
            public string Append(string[] lines)
            {
                foreach (var line in lines) {|PK1001:text += line|};
                return text;
            }
        }
        """,
        LanguageVersion.CSharp12);

    [Fact]
    public Task A_null_conditional_assignment_in_CSharp_14_is_reported_and_a_member_of_the_iteration_variable_is_not() => VerifyPK1001.Analyzer(
        """
        class Holder { public string Text { get; set; } = ""; }

        class C
        {
            void Build(string[] values, Holder? holder, Holder?[] items)
            {
                foreach (var value in values)
                {
                    {|PK1001:holder?.Text += value|};
                }

                foreach (var item in items)
                {
                    item?.Text += "!";
                }
            }
        }
        """,
        LanguageVersion.CSharp14);

    [Fact]
    public Task A_string_declared_inside_the_loop_body_is_not_reported() => VerifyPK1001.Analyzer("""
        class C
        {
            void Print(string[] values)
            {
                foreach (var value in values)
                {
                    var line = "> ";
                    line += value;
                    line = line + ";";
                    System.Console.WriteLine(line);
                }
            }
        }
        """);

    [Fact]
    public Task A_member_of_the_iteration_variable_or_element_is_not_accumulated_and_is_not_reported() => VerifyPK1001.Analyzer("""
        using System.Collections.Generic;

        class Item { public string Name = ""; public Item? Next; }

        class C
        {
            void Decorate(List<Item> items, Item[] array, Item? first)
            {
                foreach (var item in items)
                {
                    item.Name += " (copy)"; // sonar-dotnet#5521: one append per item
                    item.Name = item.Name + "!";
                }

                for (var i = 0; i < array.Length; i++)
                {
                    array[i].Name += "?";
                }

                for (var node = first; node != null; node = node.Next)
                {
                    node.Name += "*";
                }

                var current = first;
                while (current != null)
                {
                    current.Name += "+";
                    current = current.Next;
                }
            }
        }
        """);

    [Fact]
    public Task A_concatenation_followed_directly_by_an_exit_is_not_reported() => VerifyPK1001.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            string Find(string[] values, string key)
            {
                var s = "found: ";
                foreach (var value in values)
                {
                    if (value == key)
                    {
                        s += value;
                        break; // SharpSource#320
                    }
                }

                foreach (var value in values)
                {
                    if (value.Length == 0)
                    {
                        s = s + "(empty)";
                        return s;
                    }
                }

                foreach (var value in values)
                {
                    if (value == null)
                    {
                        s += "null";
                        throw new System.ArgumentException(s);
                    }
                }

                foreach (var value in values)
                {
                    if (value == "!") return s += value;
                }

                return s;
            }

            IEnumerable<string> Lines(string[] values)
            {
                var s = "";
                foreach (var value in values)
                {
                    s += value;
                    yield break;
                }
            }
        }
        """);

    [Fact]
    public Task Coalescing_is_not_concatenation() => VerifyPK1001.Analyzer("""
        class C
        {
            string? First(string?[] values)
            {
                string? s = null;
                foreach (var value in values)
                {
                    s ??= value; // sonar-dotnet#1138
                    s = s ?? value;
                    s = value ?? s;
                }

                return s;
            }
        }
        """);

    [Fact]
    public Task A_variable_overwritten_in_each_iteration_does_not_carry_its_value_to_the_next() => VerifyPK1001.Analyzer("""
        class C
        {
            string Last(string[] values)
            {
                var s = "";
                foreach (var value in values)
                {
                    s = "> ";
                    s += value;
                    System.Console.WriteLine(s);
                }

                var t = "";
                foreach (var value in values)
                {
                    t += value;
                    System.Console.WriteLine(t);
                    t = "";
                }

                return s + t;
            }
        }
        """);

    [Fact]
    public Task Concatenations_outside_loops_in_lambdas_declared_in_loops_or_not_onto_the_variable_are_not_reported() => VerifyPK1001.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Text;

        class C
        {
            string Build(string[] values, List<Func<string>> callbacks, StringBuilder sb)
            {
                var s = "";
                s += "once";
                for (var i = 0; i < values.Length; i++)
                {
                    callbacks.Add(() => s += values[i]); // runs when called, not per iteration
                    var t = s.Trim() + values[i];          // a new string from s, not s growing
                    sb.Append(s + values[i]);             // a temporary (PK1002), not an accumulation
                    s = values[i];
                }

                return s;
            }
        }
        """);

    [Fact]
    public Task A_chain_of_thousands_of_operands_is_analysed_without_deep_recursion()
    {
        var operands = string.Join(" + ", Enumerable.Range(0, 5_000).Select(i => "value"));
        return VerifyPK1001.Analyzer($$"""
            class C
            {
                string Build(string[] values)
                {
                    var s = "";
                    foreach (var value in values) {|PK1001:s = s + {{operands}}|};
                    return s;
                }
            }
            """);
    }
}
