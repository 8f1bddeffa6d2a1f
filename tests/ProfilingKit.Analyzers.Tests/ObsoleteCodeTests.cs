using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using VerifyPK1003 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.BoxingInHotPlaceRule>;
using VerifyPK1007 = ProfilingKit.Analyzers.Tests.VerifyRule<ProfilingKit.Analyzers.CollectionPerIterationRule>;

namespace ProfilingKit.Analyzers.Tests;

/// <summary>
/// Code marked [Obsolete], the member or a containing type, is cold (Core/ObsoleteCode.cs);
/// <c>profilingkit.analyze_obsolete_code = true</c> analyzes it again.
/// </summary>
public class ObsoleteCodeTests
{
    private const string Validator = """
        using System;
        using System.Collections.Generic;

        class Reader
        {
            [Obsolete("Use the new validator.")]
            public void Validate(List<object> sink, int[] values)
            {
                foreach (var value in values) sink.Add(MARK);
            }

            public void Read(List<object> sink, int[] values)
            {
                foreach (var value in values) sink.Add({|PK1003:value|});
            }
        }
        """;

    [Fact]
    public Task An_obsolete_member_is_cold() => VerifyPK1003.Analyzer(Validator.Replace("MARK", "value"));

    [Fact]
    public Task With_the_option_an_obsolete_member_is_analyzed() =>
        VerifyPK1003.Analyzer(Validator.Replace("MARK", "{|PK1003:value|}"), LanguageVersion.Latest, "profilingkit.analyze_obsolete_code = true");

    [Fact]
    public Task Members_of_an_obsolete_type_and_accessors_of_an_obsolete_property_are_cold() => VerifyPK1007.Analyzer("""
        using System;
        using System.Collections.Generic;

        [Obsolete("JSON Schema validation has moved to its own package.")]
        class SchemaBuilder
        {
            class Resolver
            {
                int Count(int[][] rows)
                {
                    var total = 0;
                    foreach (var row in rows)
                    {
                        var seen = new HashSet<int>(row);
                        total += seen.Count;
                    }

                    return total;
                }
            }
        }

        class Reader
        {
            int[][] _rows = [];

            [Obsolete]
            int Distinct
            {
                get
                {
                    var total = 0;
                    foreach (var row in _rows)
                    {
                        var seen = new HashSet<int>(row);
                        total += seen.Count;
                    }

                    return total;
                }
            }

            int Current
            {
                get
                {
                    var total = 0;
                    foreach (var row in _rows)
                    {
                        var seen = {|PK1007:new HashSet<int>(row)|};
                        total += seen.Count;
                    }

                    return total;
                }
            }
        }
        """);

    [Fact]
    public Task Obsolete_code_is_cold_not_silenced_it_is_reported_outside_hot_places_when_asked() => VerifyPK1003.Analyzer(
        Validator.Replace("MARK", "{|#0:value|}").Replace("{|PK1003:value|}", "{|#1:value|}"),
        [
            VerifyPK1003.Diagnostic("PK1003").WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("'int' is boxed by its conversion to 'object'", "outside hot code"),
            VerifyPK1003.Diagnostic("PK1003").WithLocation(1).WithArguments("'int' is boxed by its conversion to 'object'", "in a loop"),
        ],
        LanguageVersion.Latest,
        "profilingkit.report_outside_hot_places = true");
}
