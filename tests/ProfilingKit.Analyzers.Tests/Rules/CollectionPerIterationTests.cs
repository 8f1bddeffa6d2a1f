using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using ProfilingKit.CodeFixes;
using VerifyPK1007 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CollectionPerIterationRule>;
using VerifyPK1007Fix = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CollectionPerIterationRule, ProfilingKit.CodeFixes.CollectionPerIterationCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class CollectionPerIterationTests
{
    public static TheoryData<LanguageVersion> AllLanguageVersions() => new() { LanguageVersion.CSharp10, LanguageVersion.CSharp12, LanguageVersion.CSharp14 };

    public static TheoryData<LanguageVersion> CollectionExpressionLanguageVersions() => new() { LanguageVersion.CSharp12, LanguageVersion.CSharp14 };

    [Theory]
    [MemberData(nameof(AllLanguageVersions))]
    public Task A_list_used_only_inside_the_iteration_is_hoisted_and_cleared(LanguageVersion languageVersion) => VerifyFix(
        """
        using System.Collections.Generic;

        class C
        {
            int M(List<int[]> rows)
            {
                var best = 0;
                foreach (var row in rows)
                {
                    var evens = {|#0:new List<int>()|};
                    foreach (var x in row)
                    {
                        if (x % 2 == 0) evens.Add(x);
                    }

                    if (evens.Count > best) best = evens.Count;
                }

                return best;
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            int M(List<int[]> rows)
            {
                var best = 0;
                var evens = new List<int>();
                foreach (var row in rows)
                {
                    evens.Clear();
                    foreach (var x in row)
                    {
                        if (x % 2 == 0) evens.Add(x);
                    }

                    if (evens.Count > best) best = evens.Count;
                }

                return best;
            }
        }
        """,
        languageVersion,
        VerifyPK1007.Diagnostic("PK1007").WithLocation(0).WithArguments("List<int>", "create it once before the loop and Clear() it instead"));

    [Fact]
    public Task Several_collections_in_one_loop_are_hoisted_in_order_with_their_constant_or_static_arguments() => VerifyPK1007Fix.CodeFix(
        """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(string[][] documents)
            {
                var distinct = 0;
                for (var d = 0; d < documents.Length; d++)
                {
                    var counts = {|PK1007:new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)|};
                    HashSet<string> seen = {|PK1007:new(64)|};
                    foreach (var word in documents[d])
                    {
                        counts[word] = counts.TryGetValue(word, out var n) ? n + 1 : 1;
                        seen.Add(word);
                    }

                    foreach (var key in counts.Keys) distinct += key.Length;
                    distinct += counts.Values.Sum() + seen.Count;
                }

                return distinct;
            }
        }
        """,
        """
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int M(string[][] documents)
            {
                var distinct = 0;
                var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
                HashSet<string> seen = new(64);
                for (var d = 0; d < documents.Length; d++)
                {
                    counts.Clear();
                    seen.Clear();
                    foreach (var word in documents[d])
                    {
                        counts[word] = counts.TryGetValue(word, out var n) ? n + 1 : 1;
                        seen.Add(word);
                    }

                    foreach (var key in counts.Keys) distinct += key.Length;
                    distinct += counts.Values.Sum() + seen.Count;
                }

                return distinct;
            }
        }
        """);

    private const string ArraySource = """
        using System.Linq;

        class C
        {
            int M(string[] words)
            {
                var widest = 0;
                foreach (var word in words)
                {
                    var counts = {|#0:new int[26]|};
                    foreach (var c in word) counts[c - 'a']++;
                    widest += counts.Max() + counts.Length;
                }

                return widest;
            }
        }
        """;

    [Theory]
    [MemberData(nameof(AllLanguageVersions))]
    public Task An_array_used_only_inside_the_iteration_is_reported(LanguageVersion languageVersion) => VerifyPK1007.Analyzer(
        ArraySource,
        new[] { VerifyPK1007.Diagnostic("PK1007").WithLocation(0).WithArguments("int[]", "allocate it once before the loop, or rent it from ArrayPool<T>") },
        languageVersion);

    [Fact]
    public Task An_array_gets_no_fix() => VerifyPK1007Fix.CodeFix(ArraySource.Replace("{|#0:", "{|PK1007:"), ArraySource.Replace("{|#0:", "{|PK1007:"));

    [Theory]
    [MemberData(nameof(CollectionExpressionLanguageVersions))]
    public Task An_empty_collection_expression_for_a_list_is_hoisted(LanguageVersion languageVersion) => VerifyPK1007Fix.CodeFix(
        """
        using System.Collections.Generic;

        class C
        {
            int M(int[][] rows)
            {
                var total = 0;
                var i = 0;
                while (i < rows.Length)
                {
                    List<int> positive = {|PK1007:[]|};
                    foreach (var x in rows[i]) if (x > 0) positive.Add(x);
                    total += positive.Count;
                    i++;
                }

                return total;
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            int M(int[][] rows)
            {
                var total = 0;
                var i = 0;
                List<int> positive = [];
                while (i < rows.Length)
                {
                    positive.Clear();
                    foreach (var x in rows[i]) if (x > 0) positive.Add(x);
                    total += positive.Count;
                    i++;
                }

                return total;
            }
        }
        """,
        languageVersion);

    [Theory]
    [MemberData(nameof(CollectionExpressionLanguageVersions))]
    public Task Collection_expressions_are_reported_when_the_compiler_allocates_a_collection(LanguageVersion languageVersion) => VerifyPK1007.Analyzer(
        """
        using System;
        using System.Collections.Generic;

        class C
        {
            int M(int[] values)
            {
                var total = 0;
                foreach (var v in values)
                {
                    int[] pair = {|PK1007:[v, v + 1]|};
                    HashSet<int> set = {|PK1007:[v, 2]|};
                    IList<int> list = {|PK1007:[]|};
                    IEnumerable<int> some = {|PK1007:[v]|};
                    total += pair[0] + pair.Length + set.Count + list.Count;
                    foreach (var s in some) total += s;

                    // Not allocations: Array.Empty<T>() for empty arrays and read-only interfaces, the stack for spans.
                    int[] none = [];
                    IReadOnlyList<int> nothing = [];
                    Span<int> span = [v, v];
                    ReadOnlySpan<string> names = ["a", "b"];
                    total += none.Length + nothing.Count + span[0] + names.Length;
                }

                return total;
            }
        }
        """,
        languageVersion);

    [Fact]
    public Task Collections_that_leave_the_iteration_are_not_reported() => VerifyPK1007.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            private List<int> _last = new();

            IEnumerable<List<int>> Yielded(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    var batch = new List<int> { i };
                    yield return batch;
                }
            }

            List<int> Returned(int[] values)
            {
                foreach (var v in values)
                {
                    var found = new List<int>();
                    found.Add(v);
                    if (v > 3) return found;
                }

                return new List<int>();
            }

            void Escapes(int[][] rows, List<List<int>> output, List<Func<int>> callbacks)
            {
                foreach (var row in rows)
                {
                    var stored = new List<int>();
                    output.Add(stored);                   // added to an outer collection

                    var field = new List<int>();
                    _last = field;                        // stored in a field

                    var captured = new List<int>();
                    callbacks.Add(() => captured.Count);  // captured by a lambda

                    var passed = new List<int>();
                    Consume(passed);                      // passed to a method that may keep it

                    var lazy = new List<int>();
                    var query = lazy.Where(x => x > 0);   // a lazy view held in another local
                    output.Add(query.ToList());

                    var view = new Dictionary<int, int>();
                    Consume(view.Keys);                   // a view of it passed on

                    var reassigned = new List<int>();
                    reassigned = new List<int>(row);
                    reassigned.Add(1);
                }
            }

            static void Consume(IEnumerable<int> values) { }
        }
        """);

    [Fact]
    public Task Creations_outside_the_loop_body_are_not_reported() => VerifyPK1007.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            int M(int[] values, List<Func<int>> callbacks)
            {
                var outside = new List<int>();
                for (var buffer = new List<int>(); buffer.Count < 3; buffer.Add(1))
                {
                    outside.Add(buffer.Count);
                }

                foreach (var v in new List<int>(values)) outside.Add(v);

                for (var i = 0; i < 3; i++)
                {
                    callbacks.Add(() => { var inLambda = new List<int> { i }; return inLambda.Count; });
                }

                return outside.Count;
            }
        }
        """);

    [Fact]
    public Task Copies_and_initializers_are_reported_without_a_fix() => VerifyPK1007Fix.CodeFix(
        """
        using System.Collections.Generic;

        class C
        {
            int M(List<int[]> rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    var copy = {|PK1007:new List<int>(row)|};
                    copy.Sort();
                    var seeded = {|PK1007:new List<int> { 1, 2 }|};
                    total += copy[0] + seeded.Count;
                }

                return total;
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            int M(List<int[]> rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    var copy = {|PK1007:new List<int>(row)|};
                    copy.Sort();
                    var seeded = {|PK1007:new List<int> { 1, 2 }|};
                    total += copy[0] + seeded.Count;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task No_fix_when_the_name_is_declared_again_in_the_block() => VerifyPK1007Fix.CodeFix(
        """
        using System.Collections.Generic;

        class C
        {
            int M(int[][] rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    var items = {|PK1007:new List<int>()|};
                    items.AddRange(row);
                    total += items.Count;
                }

                foreach (var row in rows)
                {
                    var items = {|PK1007:new List<int>()|};
                    items.Add(row.Length);
                    total += items.Count;
                }

                return total;
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            int M(int[][] rows)
            {
                var total = 0;
                foreach (var row in rows)
                {
                    var items = {|PK1007:new List<int>()|};
                    items.AddRange(row);
                    total += items.Count;
                }

                foreach (var row in rows)
                {
                    var items = {|PK1007:new List<int>()|};
                    items.Add(row.Length);
                    total += items.Count;
                }

                return total;
            }
        }
        """);

    private static Task VerifyFix(string source, string fixedSource, LanguageVersion languageVersion, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest<HotMemberAnalyzer, CollectionPerIterationCodeFix>(new CollectionPerIterationRule(), source, languageVersion) { FixedCode = fixedSource };
        test.FixedState.Sources.Add(("HotPathAttribute.cs", AnalyzerTest<HotMemberAnalyzer, CollectionPerIterationCodeFix>.HotPathAttributeSource));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    [Fact]
    public Task In_nested_loops_the_collection_moves_out_of_all_of_them_at_once() => VerifyPK1007Fix.CodeFix(
        """
        using System.Collections.Generic;

        class C
        {
            int M(int[][][] pages)
            {
                var total = 0;
                foreach (var page in pages)
                {
                    for (var r = 0; r < page.Length; r++)
                    {
                        var seen = {|PK1007:new HashSet<int>()|};
                        foreach (var x in page[r]) seen.Add(x);
                        total += seen.Count;
                    }
                }

                return total;
            }
        }
        """,
        """
        using System.Collections.Generic;

        class C
        {
            int M(int[][][] pages)
            {
                var total = 0;
                var seen = new HashSet<int>();
                foreach (var page in pages)
                {
                    for (var r = 0; r < page.Length; r++)
                    {
                        seen.Clear();
                        foreach (var x in page[r]) seen.Add(x);
                        total += seen.Count;
                    }
                }

                return total;
            }
        }
        """);

    [Fact]
    public async Task Top_level_statements_get_the_declaration_before_the_loop()
    {
        var test = new AnalyzerTest<HotMemberAnalyzer, CollectionPerIterationCodeFix>(new CollectionPerIterationRule(), 
            """
            using System.Collections.Generic;

            var total = 0;
            for (var i = 0; i < 3; i++)
            {
                var squares = {|PK1007:new List<int>()|};
                squares.Add(i * i);
                total += squares.Count;
            }

            System.Console.WriteLine(total);
            """)
        {
            FixedCode = """
                using System.Collections.Generic;

                var total = 0;
                var squares = new List<int>();
                for (var i = 0; i < 3; i++)
                {
                    squares.Clear();
                    squares.Add(i * i);
                    total += squares.Count;
                }

                System.Console.WriteLine(total);
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.Sources.Add(("HotPathAttribute.cs", AnalyzerTest<HotMemberAnalyzer, CollectionPerIterationCodeFix>.HotPathAttributeSource));
        await test.RunAsync();
    }
}
