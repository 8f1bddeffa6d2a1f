using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1003 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule>;
using VerifyPK1003Fix = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule, ProfilingKit.CodeFixes.BoxingInHotPlaceCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class BoxingInHotPlaceTests
{
    [Fact]
    public Task Conversions_to_object_ValueType_Enum_and_interfaces_in_a_loop_are_reported() => VerifyPK1003.Analyzer("""
        using System;
        using System.Collections.Generic;

        enum Color { Red, Green }

        class C
        {
            void Run(List<object> sink, List<IComparable> comparables, List<ValueType> values, List<Enum> enums, int n)
            {
                for (var i = 0; i < n; i++)
                {
                    sink.Add({|PK1003:i|});
                    comparables.Add({|PK1003:i|});
                    values.Add({|PK1003:i|});
                    enums.Add({|PK1003:Color.Red|});
                    object explicitBox = {|PK1003:(object)i|};
                    sink.Add(explicitBox);
                }
            }
        }
        """);

    [Fact]
    public Task The_message_names_the_value_type_and_the_target() => VerifyPK1003.Analyzer(
        """
        using System.Collections;

        class C
        {
            void Run(ArrayList list, int n)
            {
                for (var i = 0; i < n; i++) list.Add({|#0:i|});
            }
        }
        """,
        [VerifyPK1003.Diagnostic("PK1003").WithLocation(0).WithArguments("'int' is boxed by its conversion to 'object'", "in a loop")]);

    [Fact]
    public Task Non_generic_collections_and_object_overloads_box_through_the_same_conversion() => VerifyPK1003.Analyzer("""
        using System.Collections;
        using Test.Attributes;

        class C
        {
            [HotPath]
            string Run(ArrayList list, Hashtable table, int key, double value)
            {
                list.Add({|PK1003:key|});
                table[{|PK1003:key|}] = {|PK1003:value|};
                return string.Format("{0}", {|PK1003:value|});
            }
        }
        """);

    [Fact]
    public Task Nullable_values_and_struct_constrained_type_parameters_box_but_unconstrained_ones_are_not_reported() => VerifyPK1003.Analyzer("""
        using System.Collections.Generic;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Run<TStruct, TAny>(List<object> sink, int? maybe, TStruct s, TAny any) where TStruct : struct
            {
                sink.Add({|PK1003:maybe|});
                sink.Add({|PK1003:s|});
                sink.Add(any);
            }
        }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task String_concatenation_calls_ToString_and_interpolated_strings_use_the_handler_so_neither_boxes(LanguageVersion languageVersion) => VerifyPK1003.Analyzer("""
        using Test.Attributes;

        record struct Point(int X, int Y);

        class C
        {
            [HotPath]
            string Run(int count, double ratio, char c, int? maybe, Point point, string text)
            {
                text += count;
                var concatenated = "count " + count + " ratio " + ratio + c + maybe + point;
                var interpolated = $"count {count,5} ratio {ratio:F2} {c} {maybe} {point}";
                return text + concatenated + interpolated;
            }
        }
        """, languageVersion);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task Concatenating_a_struct_without_its_own_ToString_or_an_enum_boxes_it(LanguageVersion languageVersion) => VerifyPK1003.Analyzer("""
        using Test.Attributes;

        struct Plain { public int X; }
        enum Color { Red }

        class C
        {
            [HotPath]
            string Run(Plain plain, Color color, Plain? maybe) => "plain " + {|PK1003:plain|} + " color " + {|PK1003:color|} + {|PK1003:maybe|};
        }
        """, languageVersion);

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task A_FormattableString_boxes_every_value_type_hole(LanguageVersion languageVersion) => VerifyPK1003.Analyzer("""
        using System;
        using Test.Attributes;

        class C
        {
            [HotPath]
            FormattableString Run(int count, string name) => $"{name}: {{|PK1003:count|}}";
        }
        """, languageVersion);

    [Fact]
    public Task Calling_an_inherited_ToString_GetHashCode_or_Equals_on_a_struct_boxes_it() => VerifyPK1003.Analyzer("""
        using Test.Attributes;

        struct Plain { public int X; }

        struct Tuned
        {
            public int X;
            public override string ToString() => "tuned";
            public override int GetHashCode() => X;
            public override bool Equals(object obj) => obj is Tuned other && other.X == X;
        }

        enum Color { Red }

        class C
        {
            [HotPath]
            int Run(Plain plain, Tuned tuned, Color color, int number)
            {
                var text = plain.{|PK1003:ToString|}() + color.{|PK1003:ToString|}() + tuned.ToString() + number.ToString();
                var hash = plain.{|PK1003:GetHashCode|}() + tuned.GetHashCode() + number.GetHashCode();
                var same = plain.{|PK1003:Equals|}({|PK1003:plain|}) && number.Equals(number);
                return text.Length + hash + (same ? 1 : 0);
            }
        }
        """);

    [Fact]
    public Task Boxes_the_JIT_removes_are_not_reported_GetType_enum_GetHashCode_and_HasFlag() => VerifyPK1003.Analyzer("""
        using System;
        using Test.Attributes;

        struct Plain { public int X; }

        [Flags]
        enum Access { Read = 1, Write = 2 }

        class C
        {
            [HotPath]
            int Run(Plain plain, Access access, int number)
            {
                var types = plain.GetType() == number.GetType();
                var hash = access.GetHashCode();
                var canWrite = access.HasFlag(Access.Write);
                return (types ? 1 : 0) + hash + (canWrite ? 1 : 0);
            }
        }
        """);

    [Fact]
    public Task Outside_hot_places_it_is_silent_by_default() => VerifyPK1003.Analyzer("""
        class C
        {
            object Once(int x) => x;
        }
        """);

    [Fact]
    public Task The_editorconfig_option_reports_it_everywhere_as_a_suggestion() => VerifyPK1003.Analyzer(
        """
        class C
        {
            object Once(int x) => {|#0:x|};
        }
        """,
        [VerifyPK1003.Diagnostic("PK1003").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("'int' is boxed by its conversion to 'object'", "outside hot code")],
        LanguageVersion.Latest,
        "profilingkit.report_outside_hot_places = true");

    [Fact]
    public Task Lambdas_declared_in_a_loop_and_exceptions_being_thrown_are_not_reported() => VerifyPK1003.Analyzer("""
        using System;
        using System.Collections.Generic;

        class C
        {
            void Run(int[] items, List<Func<object>> callbacks)
            {
                foreach (var item in items)
                {
                    callbacks.Add(() => item);
                    if (item < 0) throw new ArgumentOutOfRangeException(nameof(items), item, "negative");
                }
            }
        }
        """);

    [Fact]
    public Task Expression_trees_are_not_reported_even_in_a_HotPath_member() => VerifyPK1003.Analyzer("""
        using System;
        using System.Linq.Expressions;
        using Test.Attributes;

        class C
        {
            [HotPath]
            Expression<Func<object>> Tree(int value) => () => value;
        }
        """);

    [Fact]
    public Task The_fix_removes_a_cast_to_object_where_a_same_type_overload_exists() => VerifyPK1003Fix.CodeFix(
        """
        using System;
        using System.IO;
        using System.Text;

        class C
        {
            void Run(StringBuilder builder, TextWriter writer, int[] values, char separator)
            {
                foreach (var value in values)
                {
                    builder.Append({|PK1003:(object)value|}).Append({|PK1003:(object)separator|});
                    builder.Insert(0, {|PK1003:(object)(value + 1)|});
                    writer.Write({|PK1003:(object)value|});
                    Console.WriteLine({|PK1003:(object)value|});
                }
            }
        }
        """,
        """
        using System;
        using System.IO;
        using System.Text;

        class C
        {
            void Run(StringBuilder builder, TextWriter writer, int[] values, char separator)
            {
                foreach (var value in values)
                {
                    builder.Append(value).Append(separator);
                    builder.Insert(0, value + 1);
                    writer.Write(value);
                    Console.WriteLine(value);
                }
            }
        }
        """);

    [Fact]
    public Task No_fix_when_only_the_object_overload_takes_the_value() => VerifyPK1003Fix.CodeFix(
        """
        using System.Text;

        struct Plain { public int X; }

        class C
        {
            void Run(StringBuilder builder, Plain[] values, int? maybe)
            {
                foreach (var value in values)
                {
                    builder.Append({|PK1003:(object)value|});
                    builder.Append({|PK1003:(object)maybe|});
                }
            }
        }
        """,
        """
        using System.Text;

        struct Plain { public int X; }

        class C
        {
            void Run(StringBuilder builder, Plain[] values, int? maybe)
            {
                foreach (var value in values)
                {
                    builder.Append({|PK1003:(object)value|});
                    builder.Append({|PK1003:(object)maybe|});
                }
            }
        }
        """);
}
