using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1008 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CopyPerIterationRule>;
using VerifyPK1008Fix = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CopyPerIterationRule, ProfilingKit.CodeFixes.CopyPerIterationCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class CopyPerIterationTests
{
    public static TheoryData<LanguageVersion> LanguageVersions() => new() { LanguageVersion.CSharp10, LanguageVersion.CSharp12, LanguageVersion.CSharp14 };

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public Task ToList_and_ToArray_in_a_loop_condition_are_reported(LanguageVersion languageVersion) => VerifyPK1008.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(IEnumerable<int> items, Queue<int> queue)
            {
                var total = 0;
                for (var i = 0; i < {|#0:items.ToList()|}.Count; i++) total += i;
                while ({|#1:queue.ToArray()|}.Length > 0) total += queue.Dequeue();
                do { total++; } while ({|#2:items.ToArray()|}.Length > total);
                return total;
            }
        }
        """,
        new[]
        {
            VerifyPK1008.Diagnostic("PK1008").WithLocation(0).WithArguments("ToList()", "copies the whole sequence every time the loop condition is tested; take the copy once before the loop, or test the source directly (Count, Any)"),
            VerifyPK1008.Diagnostic("PK1008").WithLocation(1).WithArguments("ToArray()", "copies the whole sequence every time the loop condition is tested; take the copy once before the loop, or test the source directly (Count, Any)"),
            VerifyPK1008.Diagnostic("PK1008").WithLocation(2).WithArguments("ToArray()", "copies the whole sequence every time the loop condition is tested; take the copy once before the loop, or test the source directly (Count, Any)"),
        },
        languageVersion);

    [Fact]
    public Task A_copy_dropped_at_the_end_of_the_iteration_is_reported() => VerifyPK1008.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class Order { public IEnumerable<int> Lines = new List<int>(); public Dictionary<int, int> Stock = new(); }

        class C
        {
            string M(List<Order> orders, List<string> names)
            {
                var total = 0;
                var text = "";
                foreach (var order in orders)
                {
                    var lines = {|#0:order.Lines.ToList()|};
                    total += lines.Count + lines[0];
                    foreach (var key in {|PK1008:order.Stock.Keys.ToList()|}) order.Stock.Remove(key);
                    text = string.Join(",", {|PK1008:names.ToArray()|});
                    total += {|PK1008:order.Lines.Where(x => x > 0).ToArray()|}.Length;
                }

                return text + total;
            }
        }
        """,
        new[] { VerifyPK1008.Diagnostic("PK1008").WithLocation(0).WithArguments("ToList()", "copies the whole sequence on every iteration and the copy is dropped at the end of it; copy once before the loop, reuse a buffer, or use the source directly") });

    [Fact]
    public Task A_copy_that_is_the_iterations_output_is_not_reported() => VerifyPK1008.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            private int[] _last = new int[0];

            List<List<int>> M(IEnumerable<IGrouping<int, int>> groups, int[] values)
            {
                var result = new List<List<int>>();
                foreach (var group in groups)
                {
                    result.Add(group.ToList());
                    _last = group.ToArray();
                    var kept = group.ToList();
                    result.Add(kept);
                    if (group.Key > 3) return group.Select(x => x).ToList() is { } r ? new List<List<int>> { r } : result;
                }

                var once = values.ToList();
                foreach (var v in values.ToArray()) once.Add(v);
                return result;
            }
        }
        """);

    [Fact]
    public Task A_query_providers_ToList_is_not_a_copy_and_is_not_reported() => VerifyPK1008.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(IQueryable<int> table, int[] ids)
            {
                var total = 0;
                foreach (var id in ids)
                {
                    var rows = table.Where(x => x == id).ToList();
                    total += rows.Count;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task List_ToArray_in_a_loop_is_reported() => VerifyPK1008.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            int M(List<int> list, int n)
            {
                var total = 0;
                for (var i = 0; i < n; i++)
                {
                    var snapshot = {|PK1008:list.ToArray()|};
                    total += snapshot[i % snapshot.Length];
                }

                return total;
            }
        }
        """);

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public Task Substring_passed_where_a_span_overload_exists_becomes_AsSpan(LanguageVersion languageVersion) => VerifyPK1008Fix.CodeFix(
        """
        using System;
        using System.Globalization;

        class C
        {
            int M(string[] lines)
            {
                var total = 0;
                foreach (var line in lines)
                {
                    total += int.Parse({|PK1008:line.Substring(0, 4)|});
                    total += int.Parse({|PK1008:line.Substring(5, 2)|}, CultureInfo.InvariantCulture);
                    if (int.TryParse({|PK1008:line.Substring(8)|}, out var tail)) total += tail;
                }

                return total;
            }
        }
        """,
        """
        using System;
        using System.Globalization;

        class C
        {
            int M(string[] lines)
            {
                var total = 0;
                foreach (var line in lines)
                {
                    total += int.Parse(line.AsSpan(0, 4));
                    total += int.Parse(line.AsSpan(5, 2), CultureInfo.InvariantCulture);
                    if (int.TryParse(line.AsSpan(8), out var tail)) total += tail;
                }

                return total;
            }
        }
        """,
        languageVersion);

    [Theory]
    [MemberData(nameof(LanguageVersions))]
    public Task Substring_compared_with_a_constant_becomes_SequenceEqual(LanguageVersion languageVersion) => VerifyPK1008Fix.CodeFix(
        """
        using System;

        class C
        {
            int M(string[] lines)
            {
                var count = 0;
                for (var i = 0; i < lines.Length; i++)
                {
                    if ({|PK1008:lines[i].Substring(0, 2)|} == "ab") count++;
                    if ("--" != {|PK1008:lines[i].Substring(2)|}) count--;
                }

                return count;
            }
        }
        """,
        """
        using System;

        class C
        {
            int M(string[] lines)
            {
                var count = 0;
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].AsSpan(0, 2).SequenceEqual("ab")) count++;
                    if (!lines[i].AsSpan(2).SequenceEqual("--")) count--;
                }

                return count;
            }
        }
        """,
        languageVersion);

    [Fact]
    public Task The_fix_adds_using_System_when_MemoryExtensions_is_not_in_scope() => VerifyPK1008Fix.CodeFix(
        """
        class C
        {
            int M(string[] lines)
            {
                var total = 0;
                foreach (var line in lines) total += int.Parse({|PK1008:line.Substring(0, 4)|}) + int.Parse({|PK1008:line.Substring(4)|});
                return total;
            }
        }
        """,
        """
        using System;

        class C
        {
            int M(string[] lines)
            {
                var total = 0;
                foreach (var line in lines) total += int.Parse(line.AsSpan(0, 4)) + int.Parse(line.AsSpan(4));
                return total;
            }
        }
        """);

    [Fact]
    public Task Substring_used_as_a_string_is_not_reported() => VerifyPK1008.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Text;

        class C
        {
            void M(string[] lines, List<string> keys, Dictionary<string, int> map, StringBuilder sb, string other)
            {
                foreach (var line in lines)
                {
                    var head = line.Substring(0, 3);       // stored: may be used as a string later
                    keys.Add(line.Substring(1));            // no span overload: the string is needed
                    map[line.Substring(2)] = head.Length;
                    sb.Append(line.Substring(1, 2));        // PK1002's
                    if (line.Substring(1) == other) { }     // compared with a variable that may be null
                    Console.WriteLine(line?.Substring(1));
                    Console.WriteLine(line.Substring(1).Trim());
                }

                var once = int.Parse(lines[0].Substring(0, 2));
            }
        }
        """);

    [Fact]
    public Task Split_whose_parts_stay_in_the_iteration_is_reported_without_a_fix() => VerifyPK1008Fix.CodeFix(
        """
        using System.Collections.Generic;

        class C
        {
            int M(string[] lines)
            {
                var total = 0;
                foreach (var line in lines)
                {
                    var parts = {|PK1008:line.Split(',')|};
                    total += int.Parse(parts[1]) + parts.Length;
                    foreach (var field in {|PK1008:line.Split(';')|}) total += field.Length;
                    total += {|PK1008:line.Split(' ', 3)|}[0].Length;
                }

                return total;
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            int M(string[] lines)
            {
                var total = 0;
                foreach (var line in lines)
                {
                    var parts = {|PK1008:line.Split(',')|};
                    total += int.Parse(parts[1]) + parts.Length;
                    foreach (var field in {|PK1008:line.Split(';')|}) total += field.Length;
                    total += {|PK1008:line.Split(' ', 3)|}[0].Length;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task Split_whose_parts_leave_the_iteration_is_not_reported() => VerifyPK1008.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            List<string[]> M(string[] lines, string text)
            {
                var rows = new List<string[]>();
                foreach (var line in lines)
                {
                    rows.Add(line.Split(','));
                    var cells = line.Split(';');
                    rows.Add(cells);
                }

                foreach (var word in text.Split(' ')) rows.Add(new[] { word });
                return rows;
            }
        }
        """);
}
