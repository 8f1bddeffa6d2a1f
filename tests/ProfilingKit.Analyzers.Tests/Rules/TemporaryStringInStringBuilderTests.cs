using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1002 = ProfilingKit.Analyzers.Tests.Verify<ProfilingKit.Analyzers.TemporaryStringInStringBuilderAnalyzer>;

namespace ProfilingKit.Analyzers.Tests;

public class TemporaryStringInStringBuilderTests
{
    [Fact]
    public Task In_a_loop_it_is_a_warning_that_names_the_shape_and_the_place() => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            string Build(string[] names)
            {
                var sb = new StringBuilder();
                foreach (var name in names) sb.Append({|#0:name + ", "|});
                return sb.ToString();
            }
        }
        """,
        new[]
        {
            // A suggestion in hot places too since issue 17 (it was a warning): only measured hot places warn.
            VerifyPK1002.Diagnostic("PK1002").WithLocation(0).WithSeverity(DiagnosticSeverity.Info)
                .WithArguments("The concatenation", "Append", "in a loop", "append the parts one by one"),
        });

    [Fact]
    public Task Every_temporary_shape_is_reported_in_a_HotPath_member() => VerifyPK1002.Analyzer("""
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, string name, int count, double ratio, object tag, string text)
            {
                sb.Append({|PK1002:name + ": " + count|});
                sb.Append({|PK1002:count.ToString()|});
                sb.Append({|PK1002:ratio.ToString()|});
                sb.Append({|PK1002:tag.ToString()|});
                sb.Append({|PK1002:string.Format("{0} of {1}", count, name)|});
                sb.Append({|PK1002:text.Substring(1, 3)|});
                sb.Append({|PK1002:text.Substring(2)|});
                sb.Insert(0, {|PK1002:name + ": "|});
                sb.Insert(0, {|PK1002:count.ToString()|});
                sb.Insert(0, {|PK1002:text.Substring(1, 2)|});
                sb.Append(value: {|PK1002:name + "!"|});
            }

            [HotPath]
            void WriteSpans(StringBuilder sb, System.Span<char> span, System.ReadOnlySpan<char> readOnlySpan)
            {
                sb.Append({|PK1002:span.ToString()|});
                sb.Append({|PK1002:readOnlySpan.ToString()|});
            }
        }
        """);

    [Fact]
    public Task Outside_hot_places_it_is_a_suggestion() => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            string Describe(int count)
            {
                var sb = new StringBuilder();
                sb.Append({|#0:count.ToString()|});
                return sb.ToString();
            }
        }
        """,
        new[]
        {
            VerifyPK1002.Diagnostic("PK1002").WithLocation(0).WithSeverity(DiagnosticSeverity.Info)
                .WithArguments("ToString()", "Append", "outside hot code", "pass the value to Append itself"),
        });

    [Fact]
    public Task The_editorconfig_severity_applies_to_every_place() => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            string Describe(int count)
            {
                var sb = new StringBuilder();
                sb.Append({|#0:count.ToString()|});
                return sb.ToString();
            }
        }
        """,
        new[]
        {
            VerifyPK1002.Diagnostic("PK1002").WithLocation(0).WithSeverity(DiagnosticSeverity.Warning)
                .WithArguments("ToString()", "Append", "outside hot code", "pass the value to Append itself"),
        },
        LanguageVersion.Latest,
        "dotnet_diagnostic.PK1002.severity = warning");

    [Fact]
    public Task The_editorconfig_can_turn_it_off() => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            void Write(StringBuilder sb, string[] names)
            {
                foreach (var name in names) sb.Append(name + ", ");
            }
        }
        """,
        LanguageVersion.Latest,
        "dotnet_diagnostic.PK1002.severity = none");

    [Theory]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task From_CSharp_10_an_interpolated_Append_binds_to_the_handler_and_is_not_reported(LanguageVersion version) => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            void Write(StringBuilder sb, string[] names)
            {
                for (var i = 0; i < names.Length; i++) sb.Append($"{i}: {names[i]}");
            }
        }
        """,
        version);

    [Fact]
    public Task In_CSharp_9_an_interpolated_Append_builds_a_string_and_is_reported() => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            void Write(StringBuilder sb, string[] names)
            {
                for (var i = 0; i < names.Length; i++) sb.Append({|#0:$"{i}: {names[i]}"|});
            }
        }
        """,
        new[]
        {
            VerifyPK1002.Diagnostic("PK1002").WithLocation(0)
                .WithArguments("The interpolated string", "Append", "in a loop", "append the parts one by one"),
        },
        LanguageVersion.CSharp9);

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp12)]
    [InlineData(LanguageVersion.CSharp14)]
    public Task Insert_has_no_interpolation_handler_so_an_interpolated_Insert_is_reported_in_every_version(LanguageVersion version) => VerifyPK1002.Analyzer(
        """
        using System.Text;

        class C
        {
            void Write(StringBuilder sb, string[] names)
            {
                for (var i = 0; i < names.Length; i++) sb.Insert(0, {|PK1002:$"{i}: {names[i]}"|});
            }
        }
        """,
        version);

    [Fact]
    public Task Strings_that_need_no_allocation_or_have_no_better_overload_are_not_reported() => VerifyPK1002.Analyzer("""
        using System;
        using System.Text;
        using Test.Attributes;

        class C
        {
            const string Name = "pk";

            [HotPath]
            void Write(StringBuilder sb, string text, int count, char[] chars, Span<int> numbers)
            {
                sb.Append("a" + "b");            // folded to a constant
                sb.Append(Name + "!");           // folded to a constant
                sb.Append($"{Name}!");           // a constant interpolated string (C# 10)
                sb.Append(text);
                sb.Append(text.ToString());      // string.ToString() returns the same string
                sb.Append(count.ToString("N2")); // a format: Append(count) would not apply it
                sb.Append(chars.ToString());     // Append(chars) would append the characters, not the type name
                sb.Append(numbers.ToString());   // "System.Span<Int32>[n]"; no Append overload takes it
                sb.Append(text, 1, 3);
                sb.Append(count);
                sb.AppendLine(text);
            }

            public override string ToString() => new StringBuilder().Append(base.ToString()).ToString();
        }
        """);
}
