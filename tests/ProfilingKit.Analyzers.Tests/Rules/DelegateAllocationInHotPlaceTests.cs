using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1004 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.DelegateAllocationInHotPlaceRule>;
using VerifyPK1004Fix = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.DelegateAllocationInHotPlaceRule, ProfilingKit.CodeFixes.DelegateAllocationInHotPlaceCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class DelegateAllocationInHotPlaceTests
{
    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task A_lambda_capturing_a_variable_declared_in_the_loop_is_reported(LanguageVersion languageVersion) => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            void Run(Calls<Func<int>> callbacks, int[] items)
            {
                foreach (var item in items) callbacks.Add(() {|PK1004:=>|} item);

                for (var i = 0; i < items.Length; i++)
                {
                    var square = items[i] * items[i];
                    callbacks.Add(() {|PK1004:=>|} square);
                    callbacks.Add({|PK1004:delegate|} { return square + 1; });
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """, languageVersion);

    [Fact]
    public Task The_message_names_the_captures_and_what_is_allocated() => VerifyPK1004.Analyzer(
        """
        using System;
        using System.Collections.Generic;

        class C
        {
            int _offset;

            void Run(Calls<Func<int>> callbacks, int[] items)
            {
                foreach (var item in items) callbacks.Add(() {|#0:=>|} item + _offset);
                for (var i = 0; i < items.Length; i++) callbacks.Add(() {|#1:=>|} i);
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """,
        [
            VerifyPK1004.Diagnostic("PK1004").WithLocation(0).WithArguments("This lambda captures 'item' and 'this' and", "a closure and a delegate", "in a loop"),
            VerifyPK1004.Diagnostic("PK1004").WithLocation(1).WithArguments("This lambda captures 'i' and", "a delegate on every iteration", "in a loop"),
        ]);

    [Fact]
    public Task A_lambda_capturing_only_variables_declared_before_the_loop_is_cached_on_its_closure_and_not_reported_in_the_loop() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            int _offset;

            void Run(Calls<Func<int>> callbacks, int[] items, int bias)
            {
                var scale = 2;
                foreach (var item in items)
                {
                    callbacks.Add(() => bias * scale);
                    callbacks.Add(() => bias + _offset);
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """);

    [Fact]
    public Task The_same_lambda_in_a_HotPath_member_allocates_once_per_call_and_is_reported_there() => VerifyPK1004.Analyzer(
        """
        using System;
        using System.Collections.Generic;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Run(Calls<Func<int>> callbacks, int[] items, int bias)
            {
                foreach (var item in items) callbacks.Add(() {|#0:=>|} bias);
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """,
        [VerifyPK1004.Diagnostic("PK1004").WithLocation(0).WithArguments("This lambda captures 'bias' and", "a closure and a delegate", "in [HotPath] member 'Run'")]);

    [Fact]
    public Task A_lambda_capturing_only_this_is_never_cached_and_is_reported() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            int _offset;
            int Offset() => _offset;

            void Run(Calls<Func<int, int>> callbacks, int n)
            {
                for (var i = 0; i < n; i++)
                {
                    callbacks.Add(x {|PK1004:=>|} x + _offset);
                    callbacks.Add(x {|PK1004:=>|} x + Offset());
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task Static_and_non_capturing_lambdas_are_cached_and_not_reported(LanguageVersion languageVersion) => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;
        using Test.Attributes;

        class C<T>
        {
            [HotPath]
            void Run(Calls<Func<int, int>> callbacks, Calls<Func<T, T>> identities)
            {
                for (var i = 0; i < 3; i++)
                {
                    callbacks.Add(x => x * 2);
                    callbacks.Add(static x => x + 1);
                    identities.Add(t => t);
                    identities.Add(Generic<T>());
                }
            }

            static Func<U, U> Generic<U>() => u => u;
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """, languageVersion);

    [Fact]
    public Task A_lambda_in_a_generic_local_function_is_not_cached_even_when_static() => VerifyPK1004.Analyzer("""
        using System;
        using Test.Attributes;

        class C
        {
            [HotPath]
            Func<int> Run()
            {
                return Make<int>();

                static Func<int> Make<T>() => static () {|PK1004:=>|} 1;
            }
        }
        """);

    [Fact]
    public Task A_lambda_in_a_static_constructor_is_not_cached() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        static class Registry
        {
            static readonly Calls<Func<int>> Factories = new();

            static Registry()
            {
                for (var i = 0; i < 3; i++) Factories.Add(() {|PK1004:=>|} 42);
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task Instance_method_groups_extension_method_groups_and_non_static_local_functions_are_reported_in_every_version(LanguageVersion languageVersion) => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        static class Extensions
        {
            public static int Twice(this string s) => s.Length * 2;
        }

        class C
        {
            int Next() => 1;

            void Run(Calls<Func<int>> callbacks, string text, int n)
            {
                int Local() => n;
                int CapturesNothing() => 3;

                for (var i = 0; i < n; i++)
                {
                    callbacks.Add({|PK1004:Next|});
                    callbacks.Add({|PK1004:this.Next|});
                    callbacks.Add({|PK1004:text.Twice|});
                    callbacks.Add({|PK1004:Local|});
                    callbacks.Add({|PK1004:CapturesNothing|});
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """, languageVersion);

    [Fact]
    public Task Static_method_groups_allocate_under_CSharp_10() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            static int Zero() => 0;

            void Run(Calls<Func<int>> callbacks, int n)
            {
                static int StaticLocal() => 3;

                for (var i = 0; i < n; i++)
                {
                    callbacks.Add({|PK1004:Zero|});
                    callbacks.Add({|PK1004:StaticLocal|});
                    Func<int> cast = {|PK1004:(Func<int>)Zero|};
                    callbacks.Add(cast);
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """, LanguageVersion.CSharp10);

    [Theory]
    [InlineData(LanguageVersion.CSharp11)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task Static_method_groups_are_cached_from_CSharp_11_but_an_explicit_new_never_is(LanguageVersion languageVersion) => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            static int Zero() => 0;

            void Run(Calls<Func<int>> callbacks, int n)
            {
                static int StaticLocal() => 3;

                for (var i = 0; i < n; i++)
                {
                    callbacks.Add(Zero);
                    callbacks.Add(StaticLocal);
                    callbacks.Add((Func<int>)Zero);
                    callbacks.Add({|PK1004:new Func<int>(Zero)|});
                    Func<int> cached = Zero;
                    callbacks.Add({|PK1004:new Func<int>(cached)|});
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """, languageVersion);

    [Fact]
    public Task A_lambda_that_calls_a_capturing_local_function_captures_what_it_captures() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            int _offset;

            void Run(Calls<Func<int>> callbacks, int[] items)
            {
                foreach (var item in items)
                {
                    int Scaled() => item * 2;
                    int Shifted() => _offset;
                    int Constant() => 7;
                    callbacks.Add(() {|PK1004:=>|} Scaled());
                    callbacks.Add(() {|PK1004:=>|} Shifted());
                    callbacks.Add(() => Constant());
                }
            }
        }

        // Hands each delegate on to be called: not a collection that keeps it (PK1004 leaves stored delegates alone).
        class Calls<T> { public void Add(T call) { } }
        """);

    [Fact]
    public Task Outside_hot_places_it_is_silent_by_default() => VerifyPK1004.Analyzer("""
        using System;

        class C
        {
            Func<int> Once(int x) => () => x;
        }
        """);

    [Fact]
    public Task The_editorconfig_option_reports_it_everywhere_as_a_suggestion() => VerifyPK1004.Analyzer(
        """
        using System;

        class C
        {
            Func<int> Once(int x) => () {|#0:=>|} x;
        }
        """,
        [VerifyPK1004.Diagnostic("PK1004").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("This lambda captures 'x' and", "a closure and a delegate", "outside hot code")],
        LanguageVersion.Latest,
        "profilingkit.report_outside_hot_places = true");

    [Fact]
    public Task Lambdas_in_a_lambda_declared_in_a_loop_in_a_throw_or_in_expression_trees_are_not_reported() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Linq.Expressions;

        class C
        {
            void Run(List<Action> actions, List<Expression<Func<int>>> trees, int[] items)
            {
                foreach (var item in items)
                {
                    trees.Add(() => item);
                    actions.Add(static () => { var local = 1; Func<int> inner = () => local; inner(); });
                    if (item < 0) throw new InvalidOperationException(((Func<string>)(() => item.ToString()))());
                }
            }
        }
        """);

    [Fact]
    public Task The_fix_passes_the_captured_value_as_the_GetOrAdd_factory_argument() => VerifyPK1004Fix.CodeFix(
        """
        using System.Collections.Concurrent;

        class C
        {
            int Lookup(ConcurrentDictionary<string, int> cache, string[] keys, int seed)
            {
                var total = 0;
                foreach (var key in keys)
                {
                    var salt = key.Length + seed;
                    total += cache.GetOrAdd(key, k {|PK1004:=>|} k.Length * salt);
                }

                return total;
            }
        }
        """,
        """
        using System.Collections.Concurrent;

        class C
        {
            int Lookup(ConcurrentDictionary<string, int> cache, string[] keys, int seed)
            {
                var total = 0;
                foreach (var key in keys)
                {
                    var salt = key.Length + seed;
                    total += cache.GetOrAdd(key, static (k, salt) => k.Length * salt, salt);
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task The_fix_is_not_offered_when_the_captured_variable_is_written_in_a_lambda_or_more_than_one_is_captured() => VerifyPK1004Fix.CodeFix(
        """
        using System;
        using System.Collections.Concurrent;

        class C
        {
            int Lookup(ConcurrentDictionary<string, int> cache, string[] keys, Action<Action> schedule)
            {
                var total = 0;
                foreach (var key in keys)
                {
                    var salt = key.Length;
                    var pepper = 3;
                    schedule(() {|PK1004:=>|} salt++);
                    total += cache.GetOrAdd(key, k {|PK1004:=>|} k.Length * salt);
                    total += cache.GetOrAdd(key, k {|PK1004:=>|} k.Length * pepper * total);
                }

                return total;
            }
        }
        """,
        """
        using System;
        using System.Collections.Concurrent;

        class C
        {
            int Lookup(ConcurrentDictionary<string, int> cache, string[] keys, Action<Action> schedule)
            {
                var total = 0;
                foreach (var key in keys)
                {
                    var salt = key.Length;
                    var pepper = 3;
                    schedule(() {|PK1004:=>|} salt++);
                    total += cache.GetOrAdd(key, k {|PK1004:=>|} k.Length * salt);
                    total += cache.GetOrAdd(key, k {|PK1004:=>|} k.Length * pepper * total);
                }

                return total;
            }
        }
        """);
}
