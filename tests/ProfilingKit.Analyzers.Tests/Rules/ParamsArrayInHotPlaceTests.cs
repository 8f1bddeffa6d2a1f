using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1006 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.ParamsArrayInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

public class ParamsArrayInHotPlaceTests
{
    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task A_params_array_with_arguments_in_a_loop_is_reported_in_every_language_version(LanguageVersion languageVersion) => VerifyPK1006.Analyzer("""
        class C
        {
            static int Sum(params int[] values) { var total = 0; foreach (var v in values) total += v; return total; }

            int Run(int n)
            {
                var total = 0;
                for (var i = 0; i < n; i++) total += Sum({|PK1006:i, 1, 2|});
                return total;
            }
        }
        """, languageVersion);

    [Fact]
    public Task The_message_names_the_method_and_the_array_type() => VerifyPK1006.Analyzer(
        """
        class C
        {
            static int Sum(params int[] values) => values.Length;

            int Run(int n)
            {
                var total = 0;
                while (total < n) total += Sum({|#0:total|});
                return total;
            }
        }
        """,
        [VerifyPK1006.Diagnostic("PK1006").WithLocation(0).WithArguments("C.Sum", "int[]", "in a loop")]);

    [Fact]
    public Task No_params_arguments_pass_Array_Empty_and_an_explicit_array_or_null_is_passed_as_is() => VerifyPK1006.Analyzer("""
        using Test.Attributes;

        class C
        {
            static int Sum(params int[] values) => values?.Length ?? 0;

            [HotPath]
            int Run(int[] existing)
            {
                var total = Sum();
                total += Sum(existing);
                total += Sum(null);
                return total;
            }
        }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    public Task Before_CSharp_13_string_Join_Concat_and_Path_Combine_bind_to_params_arrays(LanguageVersion languageVersion) => VerifyPK1006.Analyzer("""
        using System.IO;
        using Test.Attributes;

        class C
        {
            [HotPath]
            string Build(string a, string b, string c, string d, string e)
            {
                var joined = string.Join(",", {|PK1006:a, b, c|});
                var concatenated = string.Concat({|PK1006:a, b, c, d, e|});
                return Path.Combine({|PK1006:joined, concatenated, c, d, e|});
            }
        }
        """, languageVersion);

    [Theory]
    [InlineData(LanguageVersion.CSharp13)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task From_CSharp_13_the_same_calls_bind_to_params_ReadOnlySpan_overloads_and_allocate_nothing(LanguageVersion languageVersion) => VerifyPK1006.Analyzer("""
        using System.IO;
        using Test.Attributes;

        class C
        {
            [HotPath]
            string Build(string a, string b, string c, string d, string e)
            {
                var joined = string.Join(",", a, b, c);
                var concatenated = string.Concat(a, b, c, d, e);
                return Path.Combine(joined, concatenated, c, d, e);
            }
        }
        """, languageVersion);

    [Fact]
    public Task A_params_span_of_our_own_is_not_reported_but_a_params_List_is() => VerifyPK1006.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            static int Span(params ReadOnlySpan<int> values) => values.Length;
            static int List(params List<int> values) => values.Count;
            static int Sequence(params IEnumerable<int> values) => 0;

            int Run(int n)
            {
                var total = 0;
                for (var i = 0; i < n; i++)
                {
                    total += Span(i, 1);
                    total += List({|PK1006:i, 1|});
                    total += Sequence({|PK1006:i|});
                    total += Sequence();
                }

                return total;
            }
        }
        """, LanguageVersion.CSharp14);

    [Fact]
    public Task A_constructor_with_params_is_reported_too() => VerifyPK1006.Analyzer("""
        using System.Collections.Generic;

        class Point
        {
            public Point(params double[] coordinates) { }
        }

        class C
        {
            void Run(List<Point> points, double x)
            {
                foreach (var p in new[] { 1.0, 2.0 }) points.Add(new Point({|PK1006:x, p|}));
            }
        }
        """);

    [Fact]
    public Task Outside_hot_places_it_is_silent_by_default() => VerifyPK1006.Analyzer("""
        class C
        {
            static int Sum(params int[] values) => values.Length;

            int Once(int x) => Sum(x, 1, 2);
        }
        """);

    [Fact]
    public Task The_editorconfig_option_reports_it_everywhere_as_a_suggestion() => VerifyPK1006.Analyzer(
        """
        class C
        {
            static int Sum(params int[] values) => values.Length;

            int Once(int x) => Sum({|#0:x, 1|});
        }
        """,
        [VerifyPK1006.Diagnostic("PK1006").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("C.Sum", "int[]", "outside hot code")],
        LanguageVersion.Latest,
        "profilingkit.report_outside_hot_places = true");

    [Fact]
    public Task Calls_in_a_lambda_declared_in_a_loop_in_a_throw_or_in_an_expression_tree_are_not_reported() => VerifyPK1006.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Linq.Expressions;

        class C
        {
            static int Sum(params int[] values) => values.Length;

            void Run(int[] items, List<Func<int>> callbacks, List<Expression<Func<int>>> trees)
            {
                foreach (var item in items)
                {
                    callbacks.Add(() => Sum(item, 1));
                    trees.Add(() => Sum(1, 2));
                    if (item < 0) throw new ArgumentException(Sum(item, 2).ToString());
                }
            }
        }
        """);
}
