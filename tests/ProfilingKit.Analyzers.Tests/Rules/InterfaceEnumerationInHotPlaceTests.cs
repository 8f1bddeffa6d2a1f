using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using VerifyPK1009 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.InterfaceEnumerationInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

public class InterfaceEnumerationInHotPlaceTests
{
    [Fact]
    public Task Foreach_over_an_interface_inside_a_loop_is_reported() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            int Sum(IReadOnlyList<IEnumerable<int>> rows)
            {
                var total = 0;
                for (var i = 0; i < rows.Count; i++)
                {
                    foreach (var value in {|PK1009:rows[i]|}) total += value;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task Foreach_over_an_interface_in_a_HotPath_member_is_reported() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;
        using Test.Attributes;

        class C
        {
            [HotPath]
            int Sum(IList<int> values)
            {
                var total = 0;
                foreach (var value in {|PK1009:values|}) total += value;
                return total;
            }
        }
        """);

    [Fact]
    public Task Foreach_over_concrete_collections_and_arrays_is_not_reported() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;
        using Test.Attributes;

        class C
        {
            [HotPath]
            int Sum(List<int> list, int[] array, Dictionary<int, int> map)
            {
                var total = 0;
                foreach (var value in list) total += value;
                foreach (var value in array) total += value;
                foreach (var pair in map) total += pair.Value;
                return total;
            }
        }
        """);

    [Fact]
    public Task Outside_hot_places_it_is_silent_by_default() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            int Sum(IEnumerable<int> values)
            {
                var total = 0;
                foreach (var value in values) total += value;
                return total;
            }
        }
        """);

    [Fact]
    public Task The_editorconfig_option_reports_it_everywhere_as_a_suggestion() => VerifyPK1009.Analyzer(
        """
        using System.Collections.Generic;

        class C
        {
            int Sum(IEnumerable<int> values)
            {
                var total = 0;
                foreach (var value in {|#0:values|}) total += value;
                return total;
            }
        }
        """,
        new[] { VerifyPK1009.Diagnostic("PK1009").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("IEnumerable<int>", "outside hot code") },
        LanguageVersion.Latest,
        "profilingkit.report_outside_hot_places = true");

    [Fact]
    public Task A_foreach_in_a_lambda_declared_in_a_loop_runs_elsewhere_and_is_not_reported() => VerifyPK1009.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            void Register(IEnumerable<int> values, List<Func<int>> callbacks)
            {
                for (var i = 0; i < 3; i++)
                {
                    callbacks.Add(() => { var total = 0; foreach (var value in values) total += value; return total; });
                }
            }
        }
        """);

    [Fact]
    public Task The_collection_of_a_foreach_is_evaluated_once_and_is_not_itself_in_the_loop() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            int Sum(IEnumerable<IEnumerable<int>> rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    foreach (var value in {|PK1009:row|}) total += value;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task A_linq_query_as_the_collection_is_left_to_PK1005() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int Sum(List<List<int>> rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    foreach (var value in row.Where(v => v > 0)) total += value;
                }

                return total;
            }
        }
        """);
}
