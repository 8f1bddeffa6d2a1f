using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1003 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule>;
using VerifyPK1005 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.LinqInHotPlaceRule>;
using VerifyPK1006 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.ParamsArrayInHotPlaceRule>;
using VerifyPK1007 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CollectionPerIterationRule>;
using VerifyPK1009 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.InterfaceEnumerationInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// "In a loop" means "on every iteration" (Core/ColdPlaces.cs, one definition for every rule): what
/// surely runs at most once per loop, or only on an error path, is not reported. The false positives
/// found on real code bases are among these cases.
/// </summary>
public class ColdPlacesTests
{
    [Fact]
    public Task A_statement_followed_by_return_runs_once_per_loop() => VerifyPK1003.Analyzer("""
        class C
        {
            object Find(long[] values, long wanted)
            {
                object result = null;
                foreach (var l in values)
                {
                    if (l == wanted)
                    {
                        result = l;
                        return result;
                    }
                }

                return result;
            }
        }
        """);

    [Fact]
    public Task The_value_of_a_return_in_a_loop_runs_once() => VerifyPK1003.Analyzer("""
        class C
        {
            static object Write(object value) => value;

            object Run(int[] values)
            {
                foreach (var value in values)
                {
                    if (value > 10) return Write(value);
                    Write({|PK1003:value|});
                }

                return null;
            }
        }
        """);

    [Fact]
    public Task A_statement_followed_by_break_runs_once_per_loop_but_stays_hot_in_an_outer_loop() => VerifyPK1003.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            void Run(List<object> sink, int[][] rows)
            {
                foreach (var row in rows)
                {
                    foreach (var value in row)
                    {
                        if (value < 0)
                        {
                            sink.Add({|PK1003:value|}); // once per row: per pass of the outer loop
                            break;
                        }
                    }
                }

                foreach (var value in rows[0])
                {
                    if (value < 0)
                    {
                        sink.Add(value);
                        break;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task A_break_that_leaves_a_switch_does_not_leave_the_loop() => VerifyPK1003.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            void Run(List<object> sink, int[] values)
            {
                foreach (var value in values)
                {
                    switch (value)
                    {
                        case 1:
                            sink.Add({|PK1003:value|});
                            break;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task A_conditional_exit_after_a_statement_leaves_it_hot() => VerifyPK1003.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            void Run(List<object> sink, int[] values)
            {
                foreach (var value in values)
                {
                    sink.Add({|PK1003:value|});
                    if (value < 0) return;
                }
            }
        }
        """);

    [Fact]
    public Task Lazy_initialisation_behind_a_null_check_runs_once() => VerifyPK1006.Analyzer("""
        class C
        {
            static string[] Names(params string[] names) => names;
            string[] _names;
            string[] _other;

            void Run(int n)
            {
                string[] local = null;
                for (var i = 0; i < n; i++)
                {
                    if (_names == null) _names = Names("a", "b");
                    if (local is null) { local = Names("c", "d"); }
                    _other ??= Names("e", "f");
                    var names = _names ?? (_names = Names("g", "h"));
                    var every = Names({|PK1006:"i", "j"|});
                }
            }
        }
        """);

    [Fact]
    public Task The_arguments_of_a_throw_are_cold_even_in_LINQ() => VerifyPK1005.Analyzer("""
        using System;
        using System.Linq;

        class C
        {
            string[] Names = { "a" };

            void Run(int[] values)
            {
                foreach (var value in values)
                {
                    if (value < 0) throw new ArgumentException(string.Join(", ", Names.Select(n => n.ToUpperInvariant())));
                }
            }
        }
        """);

    [Fact]
    public Task Catch_blocks_and_branches_that_end_in_throw_are_cold() => VerifyPK1003.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            void Run(List<object> sink, int[] values)
            {
                foreach (var value in values)
                {
                    try
                    {
                        sink.Add({|PK1003:value|});
                    }
                    catch (InvalidOperationException) when (sink.Remove(value))
                    {
                        sink.Add(value);
                    }

                    if (value < 0)
                    {
                        sink.Add(value);
                        throw new InvalidOperationException();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Error_reporting_branches_and_debug_only_calls_are_cold() => VerifyPK1006.Analyzer("""
        using System.Diagnostics;

        static class Log
        {
            public static void LogError(this ILog log, string format, params object[] args) { }
            public static void LogInformation(this ILog log, string format, params object[] args) { }
        }

        interface ILog { }

        class C
        {
            static void RaiseError(string format, params object[] args) { }

            void Run(ILog log, string[] lines)
            {
                foreach (var line in lines)
                {
                    if (line.Length == 0)
                    {
                        log.LogError("empty line after {0} {1}", line, lines.Length);
                        continue;
                    }

                    if (line.Length > 80) RaiseError("line {0} too long: {1}", line, line.Length);

                    Debug.WriteLine("line {0} of {1}", line, lines.Length);
                    log.LogInformation("line {0} {1}", {|PK1006:line, lines|});
                }
            }
        }
        """);

    [Fact]
    public Task An_inner_foreach_followed_by_return_is_not_per_iteration() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            int First(IEnumerable<int>[] groups, IEnumerable<int> values)
            {
                foreach (var group in groups)
                {
                    foreach (var value in values) if (value > 0) return value;
                    return -1;
                }

                return 0;
            }
        }
        """);

    [Fact]
    public Task A_collection_created_only_on_the_iteration_that_breaks_is_not_per_iteration() => VerifyPK1007.Analyzer("""
        using System.Collections.Generic;

        class C
        {
            int Run(int[] values)
            {
                foreach (var value in values)
                {
                    if (value < 0)
                    {
                        var seen = new List<int>();
                        seen.Add(value);
                        return seen.Count;
                    }
                }

                return 0;
            }
        }
        """);
}
