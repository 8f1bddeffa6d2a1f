using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1002 = ProfilingKit.Analyzers.Tests.Verify<ProfilingKit.Analyzers.TemporaryStringInStringBuilderAnalyzer, ProfilingKit.CodeFixes.TemporaryStringInStringBuilderCodeFix>;

namespace ProfilingKit.Analyzers.Tests;

public class TemporaryStringInStringBuilderCodeFixTests
{
    [Fact]
    public Task A_concatenation_becomes_chained_appends() => VerifyPK1002.CodeFix(
        """
        using System.Text;

        class C
        {
            string Build(string[] names, int[] counts, StringBuilder? maybe)
            {
                var sb = new StringBuilder();
                for (var i = 0; i < names.Length; i++)
                {
                    sb.Append({|PK1002:names[i] + ": " + counts[i].ToString()|}).AppendLine();
                    maybe?.Append({|PK1002:names[i] + ";"|});
                    sb.Append({|PK1002:(names[i] + "/") + (i + 1)|});
                }

                return sb.ToString();
            }
        }
        """,
        """
        using System.Text;

        class C
        {
            string Build(string[] names, int[] counts, StringBuilder? maybe)
            {
                var sb = new StringBuilder();
                for (var i = 0; i < names.Length; i++)
                {
                    sb.Append(names[i]).Append(": ").Append(counts[i]).AppendLine();
                    maybe?.Append(names[i]).Append(';');
                    sb.Append(names[i]).Append('/').Append(i + 1);
                }

                return sb.ToString();
            }
        }
        """);

    [Fact]
    public Task ToString_of_a_value_is_replaced_by_the_value_for_Append_and_Insert() => VerifyPK1002.CodeFix(
        """
        using System;
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, int count, double ratio, DayOfWeek day, int? maybe, ReadOnlySpan<char> span)
            {
                sb.Append({|PK1002:count.ToString()|});
                sb.Append({|PK1002:ratio.ToString()|});
                sb.Append({|PK1002:day.ToString()|});
                sb.Append({|PK1002:maybe.ToString()|});
                sb.Append({|PK1002:span.ToString()|});
                sb.Insert(0, {|PK1002:count.ToString()|});
            }
        }
        """,
        """
        using System;
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, int count, double ratio, DayOfWeek day, int? maybe, ReadOnlySpan<char> span)
            {
                sb.Append(count);
                sb.Append(ratio);
                sb.Append(day);
                sb.Append(maybe);
                sb.Append(span);
                sb.Insert(0, count);
            }
        }
        """);

    [Fact]
    public Task ToString_of_a_reference_known_not_to_be_null_is_replaced_by_the_reference() => VerifyPK1002.CodeFix(
        """
        #nullable enable
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, object tag, object? maybe)
            {
                sb.Append({|PK1002:tag.ToString()|});
                if (maybe != null) sb.Append({|PK1002:maybe.ToString()|});
            }
        }
        """,
        """
        #nullable enable
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, object tag, object? maybe)
            {
                sb.Append(tag);
                if (maybe != null) sb.Append(maybe);
            }
        }
        """);

    [Theory]
    [InlineData(LanguageVersion.CSharp12)] // string.Format(string, params object[])
    [InlineData(LanguageVersion.CSharp14)] // string.Format(string, params ReadOnlySpan<object>)
    public Task String_Format_becomes_AppendFormat_with_the_same_arguments(LanguageVersion version) => VerifyPK1002.CodeFix(
        """
        using System.Globalization;
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, int a, int b, int c, int d)
            {
                sb.Append({|PK1002:string.Format("{0} of {1}", a, b)|});
                sb.Append({|PK1002:string.Format(CultureInfo.InvariantCulture, "{0:N2}", a)|});
                sb.Append({|PK1002:string.Format("{0}{1}{2}{3}", a, b, c, d)|});
            }
        }
        """,
        """
        using System.Globalization;
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, int a, int b, int c, int d)
            {
                sb.AppendFormat("{0} of {1}", a, b);
                sb.AppendFormat(CultureInfo.InvariantCulture, "{0:N2}", a);
                sb.AppendFormat("{0}{1}{2}{3}", a, b, c, d);
            }
        }
        """,
        version);

    [Fact]
    public Task Substring_becomes_the_range_overload_or_a_span() => VerifyPK1002.CodeFix(
        """
        using System;
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, string text, int start)
            {
                sb.Append({|PK1002:text.Substring(start, 3)|});
                sb.Append({|PK1002:text.Substring(start)|});
                sb.Insert(0, {|PK1002:text.Substring(1, 2)|});
                sb.Insert(0, {|PK1002:(text + "!").Substring(1)|});
            }
        }
        """,
        """
        using System;
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, string text, int start)
            {
                sb.Append(text, start, 3);
                sb.Append(text.AsSpan(start));
                sb.Insert(0, text.AsSpan(1, 2));
                sb.Insert(0, (text + "!").AsSpan(1));
            }
        }
        """);

    [Fact]
    public Task In_CSharp_9_an_interpolated_string_becomes_an_append_per_part() => VerifyPK1002.CodeFix(
        """
        using System.Text;

        class C
        {
            void Write(StringBuilder sb, string[] names)
            {
                for (var i = 0; i < names.Length; i++) sb.Append({|PK1002:$"{i}: {names[i]}{{x}}"|});
            }
        }
        """,
        """
        using System.Text;

        class C
        {
            void Write(StringBuilder sb, string[] names)
            {
                for (var i = 0; i < names.Length; i++) sb.Append(i).Append(": ").Append(names[i]).Append("{x}");
            }
        }
        """,
        LanguageVersion.CSharp9);

    [Fact]
    public Task Where_no_overload_appends_the_same_text_in_the_same_order_there_is_no_fix() => VerifyPK1002.CodeFix(
        NoFix, NoFix, LanguageVersion.CSharp9);

    private const string NoFix = """
        using System.Text;
        using Test.Attributes;

        class C
        {
            [HotPath]
            void Write(StringBuilder sb, string name, char[] chars, double ratio, string text, object tag)
            {
                sb.Append({|PK1002:tag.ToString()|});                     // tag may be null: ToString() throws, Append(tag) would append nothing
                sb.Insert(0, {|PK1002:name + ": "|});                     // no Insert takes the parts
                sb.Insert(0, {|PK1002:string.Format("{0}", ratio)|});     // no InsertFormat
                sb.Append({|PK1002:"length " + sb.Length|});              // Append("length ") first would change the length read
                sb.Append({|PK1002:name + chars|});                       // "System.Char[]", where Append(chars) appends the characters
                sb.Append({|PK1002:$"{ratio:F2} {name}"|});               // C# 9: a formatted hole has no one-argument Append
                sb.Append({|PK1002:text.Substring(2)|});                  // no `using System`, so no AsSpan extension in scope
            }
        }
        """;
}
