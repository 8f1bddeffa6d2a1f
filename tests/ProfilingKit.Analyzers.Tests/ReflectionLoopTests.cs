using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1003 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule>;
using VerifyPK1004 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.DelegateAllocationInHotPlaceRule>;
using VerifyPK1005 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.LinqInHotPlaceRule>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// A loop over reflection metadata, or one that queries reflection on every iteration, is cold by
/// default (Core/ReflectionLoops.cs); <c>profilingkit.reflection_loops_are_hot = true</c> makes it hot again.
/// </summary>
public class ReflectionLoopTests
{
    private const string Members = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Reflection;

        class Resolver
        {
            List<PropertyInfo> Resolve(Type type, List<PropertyInfo> found)
            {
                foreach (var property in type.GetProperties())
                {
                    if (!found.Any(MARK)) found.Add(property);
                }

                return found;
            }
        }
        """;

    [Fact]
    public Task A_loop_over_what_reflection_returns_is_cold() => VerifyPK1004.Analyzer(Members.Replace("MARK", "p => p.Name == property.Name"));

    [Fact]
    public Task With_the_option_a_loop_over_reflection_is_hot() => VerifyPK1004.Analyzer(
        Members.Replace("MARK", "p {|PK1004:=>|} p.Name == property.Name"), LanguageVersion.Latest, "profilingkit.reflection_loops_are_hot = true");

    [Fact]
    public Task Arrays_sequences_and_queries_of_metadata_and_attributes_are_reflection_metadata() => VerifyPK1005.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Reflection;

        class Resolver
        {
            int Count(Type type, List<MemberInfo> members, List<int> counts)
            {
                var total = 0;
                IEnumerable<Type> interfaces = type.GetInterfaces();
                foreach (var i in interfaces) total += counts.Sum(c => c * 0);
                foreach (var group in members.GroupBy(m => m.Name)) total += counts.Sum(c => c * 1);
                foreach (var attribute in type.GetCustomAttributes(true)) total += counts.Sum(c => c * 2);
                foreach (var parameter in type.GetMethods().SelectMany(m => m.GetParameters())) total += counts.Sum(c => c * 3);
                foreach (var count in counts) total += {|PK1005:counts.Sum(c => c * 4)|};
                return total;
            }
        }
        """);

    [Fact]
    public Task A_for_loop_bounded_by_a_metadata_array_is_cold() => VerifyPK1003.Analyzer("""
        using System.Collections.Generic;
        using System.Reflection;

        class Factory
        {
            void Build(ParameterInfo[] parameters, int[] values, List<object> constants)
            {
                for (var i = 0; i < parameters.Length; i++) constants.Add(i);
                for (var i = 0; values.Length > i; i++) constants.Add({|PK1003:i|});
            }
        }
        """);

    [Fact]
    public Task A_loop_that_queries_reflection_on_every_iteration_is_cold_one_that_reads_cheap_metadata_is_not() => VerifyPK1003.Analyzer("""
        using System;
        using System.Collections.Generic;
        using System.Reflection;

        class Enums
        {
            void Read(Type enumType, string[] names, Type[] types, List<object> values)
            {
                for (var i = 0; i < names.Length; i++)
                {
                    var field = enumType.GetField(names[i], BindingFlags.Public | BindingFlags.Static);
                    values.Add(i);
                }

                for (var i = 0; i < names.Length; i++)
                {
                    var element = enumType.GetElementType();
                    if (typeof(IDisposable).IsAssignableFrom(element)) values.Add({|PK1003:i|});
                }

                for (var i = 0; i < names.Length; i++)
                {
                    if (names[i].Length == 0) enumType.GetField(names[i]);
                    values.Add({|PK1003:i|});
                }
            }
        }
        """);
}
