using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1005 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.LinqInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

public class LinqInHotPlaceTests
{
    public static TheoryData<LanguageVersion> LanguageVersions() => new() { LanguageVersion.CSharp10, LanguageVersion.CSharp12, LanguageVersion.CSharp14 };

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public Task A_query_chain_in_a_loop_is_reported_once_at_its_outermost_call(LanguageVersion languageVersion) => VerifyPK1005.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int Total(List<List<int>> rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    total += {|#0:row.Where(x => x > 0).Select(x => x * 2).Sum()|};
                }

                return total;
            }
        }
        """,
        new[] { VerifyPK1005.Diagnostic("PK1005").WithLocation(0).WithArguments("Where().Select().Sum()", "in a loop") },
        languageVersion);

    [Fact]
    public Task A_query_in_a_HotPath_member_is_reported() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;
        using Test.Attributes;

        class C
        {
            [HotPath]
            List<string> Names(List<string> names) => {|PK1005:names.OrderBy(n => n).ToList()|};
        }
        """);

    [Fact]
    public Task Query_syntax_is_reported_once_at_the_query() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            void M(List<int[]> rows, List<IEnumerable<int>> output)
            {
                foreach (var row in rows)
                {
                    output.Add({|PK1005:from x in row where x > 3 select x * 2|});
                }
            }
        }
        """);

    [Fact]
    public Task A_query_expression_followed_by_a_method_call_is_one_chain() => VerifyPK1005.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(List<int[]> rows)
            {
                var n = 0;
                foreach (var row in rows)
                {
                    n += {|#0:(from x in row where x > 3 select x).Count()|};
                }

                return n;
            }
        }
        """,
        new[] { VerifyPK1005.Diagnostic("PK1005").WithLocation(0).WithArguments("Where().Count()", "in a loop") }); // the compiler drops the identity select

    [Fact]
    public Task Reducing_an_interface_typed_sequence_enumerates_it_and_is_reported() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(IEnumerable<int>[] groups, HashSet<int> set, List<string> words)
            {
                var n = 0;
                for (var i = 0; i < groups.Length; i++)
                {
                    n += {|PK1005:groups[i].Sum()|};
                    n += {|PK1005:set.First()|};
                    n += {|PK1005:set.Count(x => x > i)|};
                    n += {|PK1005:words.Sum(w => w.Length)|};
                    n += {|PK1005:words.Max()|}!.Length;
                    n += (int){|PK1005:words.LongCount()|};
                }

                return n;
            }
        }
        """);

    // Under C# 14 array.Contains(x) binds to MemoryExtensions (first-class spans), under C# 10 and 12
    // to Enumerable.Contains: not reported either way.
    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public Task Reductions_the_runtime_answers_without_enumerating_are_not_reported(LanguageVersion languageVersion) => VerifyPK1005.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(List<int> list, int[] array, HashSet<int> set, Dictionary<string, int> map, IList<int> ilist, IReadOnlyCollection<int> readOnly, decimal[] prices)
            {
                var n = 0;
                for (var i = 0; i < 10; i++)
                {
                    n += list.Count() + array.Count() + set.Count() + map.Count() + ilist.Count();
                    n += list.Any() ? 1 : 0;
                    n += set.Any() ? 1 : 0;
                    n += set.Contains(i) ? 1 : 0;
                    n += list.First() + ilist.Last() + array.ElementAt(1) + ilist.FirstOrDefault();
                    n += list.Sum() + array.Max() + list.Min() + (int)array.Average() + (int)prices.Sum();
                    n += list.Any(x => x > 3) ? 1 : 0;
                    n += array.Count(x => x > 3) + list.First(x => x > 3) + array.Single(x => x == 3);
                    n += list.Aggregate(0, (a, b) => a + b);
                    n += list.AsEnumerable().Count();
                    n += array.Contains(i) ? 1 : 0;
                }

                return n;
            }
        }
        """,
        languageVersion);

    [Fact]
    public Task Outside_hot_places_it_is_silent_by_default() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            List<int> M(List<int> values) => values.Where(v => v > 0).ToList();
        }
        """);

    [Fact]
    public Task The_editorconfig_option_reports_it_everywhere_as_a_suggestion() => VerifyPK1005.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            List<int> M(List<int> values) => {|#0:values.Where(v => v > 0).ToList()|};
        }
        """,
        new[] { VerifyPK1005.Diagnostic("PK1005").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("Where().ToList()", "outside hot code") },
        LanguageVersion.Latest,
        "profilingkit.report_outside_hot_places = true");

    [Fact]
    public Task ToList_and_ToArray_ending_a_chain_in_a_loop_are_left_to_PK1008() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            void M(List<List<int>> rows, List<int[]> output)
            {
                foreach (var row in rows)
                {
                    output.Add(row.Where(x => x > 0).ToArray());
                }
            }
        }
        """);

    [Fact]
    public Task Queryable_queries_and_expression_trees_are_not_reported() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;
        using Test.Attributes;

        class Order { public List<int> Lines = new(); }

        class C
        {
            [HotPath]
            List<Order> M(IQueryable<Order> orders)
            {
                var busy = orders.Where(o => o.Lines.Where(l => l > 2).Any()).ToList();
                var count = orders.Count();
                return busy;
            }
        }
        """);

    [Fact]
    public Task Calls_that_are_not_System_Linq_Enumerable_are_not_reported() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;

        static class MyExtensions
        {
            public static IEnumerable<T> Where<T>(this IEnumerable<T> source, System.Func<T, bool> predicate) => source;
        }

        class C
        {
            void M(List<List<int>> rows)
            {
                foreach (var row in rows)
                {
                    row.Where(x => x > 0);
                    row.Exists(x => x > 0);
                    row.Find(x => x > 0);
                }
            }
        }
        """);

    [Fact]
    public Task A_query_in_a_lambda_declared_in_a_loop_runs_elsewhere_and_is_not_reported() => VerifyPK1005.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            void M(List<int> values, List<Func<int>> callbacks)
            {
                for (var i = 0; i < 3; i++)
                {
                    callbacks.Add(() => values.Where(v => v > 0).Sum());
                }
            }
        }
        """);

    [Fact]
    public Task The_collection_of_a_foreach_is_evaluated_once_and_is_not_reported() => VerifyPK1005.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(List<int> values)
            {
                var total = 0;
                foreach (var value in values.Where(v => v > 0)) total += value;
                return total;
            }
        }
        """);
}
