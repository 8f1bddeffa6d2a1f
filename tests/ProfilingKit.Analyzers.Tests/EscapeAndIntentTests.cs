using VerifyPK1004 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.DelegateAllocationInHotPlaceRule>;
using VerifyPK1008 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CopyPerIterationRule>;
using VerifyPK1009 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.InterfaceEnumerationInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// What the code means to make is not a cost to report (issue 17, item 3): a delegate that is the
/// iteration's product (PK1004), an interface the code cannot choose (PK1009), and PK1008's words for
/// a copy of a part of a sequence.
/// </summary>
public class EscapeAndIntentTests
{
    [Fact]
    public Task A_delegate_stored_started_or_kept_by_an_object_is_the_iterations_product() => VerifyPK1004.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<int> _last;
            Func<int>[] _all = new Func<int>[10];
            event Action Changed;

            IEnumerable<Func<int>> Run(List<Func<int>> callbacks, Dictionary<int, Action> handlers, List<Thread> threads, int[] items)
            {
                for (var i = 0; i < items.Length; i++)
                {
                    var item = items[i];
                    callbacks.Add(() => item);
                    handlers[i] = () => Console.WriteLine(item);
                    handlers.Add(-i - 1, () => Console.WriteLine(item));
                    _last = () => item;
                    _all[i] = () => item;
                    Changed += () => Console.WriteLine(item);
                    threads.Add(new Thread(() => Console.WriteLine(item)));
                    Task.Run(() => Console.WriteLine(item));
                    ThreadPool.QueueUserWorkItem(_ => Console.WriteLine(item));
                    yield return () => item;
                    Apply(() {|PK1004:=>|} item); // called, not kept: still reported
                }
            }

            static void Apply(Func<int> f) => f();
        }
        """);

    [Fact]
    public Task An_interface_the_code_cannot_choose_is_not_reported() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            public IList<int> Values { get; } = new List<int>();
            private IList<int> _mine = new List<int>();

            static IEnumerable<int> Numbers() { yield return 1; }

            int Run(int[] keys, IList<int> parameter, Dictionary<int, IEnumerable<int>> byKey)
            {
                var total = 0;
                foreach (var key in keys)
                {
                    foreach (var n in Numbers()) total += n;                       // an iterator's result
                    foreach (var g in keys.GroupBy(k => k % 2))
                    {
                        foreach (var n in g) total += n;                           // an IGrouping
                    }

                    foreach (var n in Values) total += n;                          // a public member
                    foreach (var n in {|PK1009:_mine|}) total += n;               // private: its type is this code's
                    foreach (var n in {|PK1009:parameter|}) total += n;
                    foreach (var n in {|PK1009:byKey[key]|}) total += n;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task An_ILookup_element_is_the_lookups_type_an_element_the_code_typed_is_reported() => VerifyPK1009.Analyzer("""
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int Run(int[] keys, ILookup<int, int> lookup, IReadOnlyList<IEnumerable<int>> rows)
            {
                var total = 0;
                for (var i = 0; i < keys.Length; i++)
                {
                    foreach (var n in lookup[keys[i]]) total += n;
                    foreach (var n in {|PK1009:rows[i]|}) total += n;
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task A_local_is_reported_only_when_it_holds_a_concrete_collection() => VerifyPK1009.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            static IEnumerable<int> Numbers() { yield return 1; }

            int Run(Type type, int n)
            {
                var total = 0;
                IEnumerable<Type> interfaces = type.GetInterfaces();          // out of the loop: a loop that reflects is cold
                for (var i = 0; i < n; i++)
                {
                    IEnumerable<int> produced = Numbers();
                    foreach (var x in produced) total += x;                   // an iterator's result: no concrete type

                    foreach (var t in {|PK1009:interfaces|}) total += t.Name.Length; // a Type[] behind the interface
                }

                return total;
            }
        }
        """);

    [Fact]
    public Task A_copy_of_part_of_a_sequence_is_not_called_a_copy_of_the_whole() => VerifyPK1008.Analyzer(
        """
        using System.Collections.Generic;
        using System.Linq;

        class C
        {
            int Run(List<int> values)
            {
                var total = 0;
                for (var i = 0; i < values.Count; i += 50)
                {
                    var page = {|#0:values.Skip(i).Take(50).ToList()|};
                    total += page.Count;
                }

                return total;
            }
        }
        """,
        [VerifyPK1008.Diagnostic("PK1008").WithLocation(0).WithArguments("ToList()", "copies what 'Skip().Take()' yields on every iteration and the copy is dropped at the end of it; copy once before the loop, reuse a buffer, or use the source directly")]);
}
