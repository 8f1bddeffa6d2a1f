using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1002: a temporary string built only to be copied into a StringBuilder by Append or Insert:
/// <c>sb.Append(a + b)</c>, <c>sb.Append(x.ToString())</c>, <c>sb.Append(string.Format(...))</c>,
/// <c>sb.Append(s.Substring(i, n))</c>, and an interpolated string where it binds to the string
/// overload (C# 9 and earlier, or Insert, which has no interpolation handler). The builder can take
/// the parts directly. A suggestion everywhere; a warning in members a measured test run shows allocating (see docs/rules/PK1002.md).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryStringInStringBuilderAnalyzer : DiagnosticAnalyzer
{
    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.TemporaryStringInStringBuilder,
        "Temporary string passed to StringBuilder",
        "{0} allocates a temporary string only for StringBuilder.{1} to copy it {2}; {3}",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "Passing a + b, x.ToString(), string.Format(...), s.Substring(i, n) or (before C# 10) an interpolated string to StringBuilder.Append or Insert allocates a string that lives only until the builder has copied it. The builder has overloads that take the parts directly: chained Append calls, Append(x), AppendFormat, Append(s, i, n).");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(MemberRules.GeneratedCode);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var stringBuilderType = CompilationLookups.OnFirstUse(start.Compilation, compilation => compilation.GetTypeByMetadataName("System.Text.StringBuilder"));
            if (TestProjects.IsTestProject(start.Options))
            {
                start.RegisterOperationAction(
                    operationContext =>
                    {
                        if (TestProjects.AsksForRules(operationContext.Options, operationContext.Operation.Syntax.SyntaxTree)) AnalyzeInvocation(operationContext, stringBuilderType);
                    },
                    OperationKind.Invocation);
                return;
            }

            start.RegisterOperationAction(operationContext => AnalyzeInvocation(operationContext, stringBuilderType), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, Lazy<INamedTypeSymbol?> stringBuilderType)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name is not ("Append" or "Insert")) return;
        if (stringBuilderType.Value is not { } stringBuilder || !SymbolEqualityComparer.Default.Equals(method.ContainingType, stringBuilder)) return;

        // Append(string) and Insert(int, string): the overloads that take a finished string. An
        // interpolated string bound to Append's handler overload never becomes a string.
        var expectedParameters = method.Name == "Append" ? 1 : 2;
        if (method.Parameters.Length != expectedParameters) return;
        var argument = ArgumentFor(invocation.Arguments, expectedParameters - 1);
        if (argument?.Parameter?.Type.SpecialType != SpecialType.System_String) return;

        var shape = Classify(argument.Value);
        if (shape == Shape.None) return;

        var place = HotPlaces.Classify(invocation, context.ContainingSymbol, context.Options);
        var messageArgs = new object[] { Describe(shape), method.Name, place.IsHot ? place.Description : "outside hot code", Advice(shape, method.Name) };
        var location = argument.Value.Syntax.GetLocation();

        // A suggestion everywhere, hot or not (the fix is mechanical and never slower), and a warning
        // where a measured test run shows the member allocating.
        context.ReportDiagnostic(HotPlaceReporter.Create(Rule, location, HotPlaceReporter.IsMeasuredHot(invocation, context.Options, place), properties: null, messageArgs));
    }

    internal static Shape Classify(IOperation value)
    {
        if (value.ConstantValue.HasValue) return Shape.None; // "a" + "b", $"{Const}": no allocation at run time

        switch (value)
        {
            case IBinaryOperation binary when StringConcatenation.IsConcatenation(binary):
                return Shape.Concatenation;

            case IInterpolatedStringOperation:
                return Shape.InterpolatedString;

            case IInvocationOperation call:
                var target = call.TargetMethod;
                if (target.IsStatic && target.Name == "Format" && target.ContainingType.SpecialType == SpecialType.System_String)
                {
                    return Shape.Format;
                }

                if (!target.IsStatic && target.Name == "Substring" && target.ContainingType.SpecialType == SpecialType.System_String)
                {
                    return Shape.Substring;
                }

                if (IsObjectToString(target) && call.Instance is { Type: { } receiverType } receiver
                    && receiverType.SpecialType != SpecialType.System_String
                    && receiverType is not IArrayTypeSymbol and not IPointerTypeSymbol
                    && (!receiverType.IsRefLikeType || IsCharSpan(receiverType))
                    && receiver is not IInstanceReferenceOperation { Syntax: BaseExpressionSyntax })
                {
                    return Shape.ToStringCall;
                }

                return Shape.None;

            default:
                return Shape.None;
        }
    }

    /// <summary>Span&lt;char&gt; and ReadOnlySpan&lt;char&gt;: their ToString() copies the characters, which Append(ReadOnlySpan&lt;char&gt;) appends directly.</summary>
    private static bool IsCharSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "Span" or "ReadOnlySpan", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span
        && span.TypeArguments[0].SpecialType == SpecialType.System_Char;

    /// <summary>object.ToString() or an override of it: the string Append(object) and the typed Append overloads produce too.</summary>
    private static bool IsObjectToString(IMethodSymbol method)
    {
        if (method.Name != "ToString" || method.Parameters.Length != 0 || method.IsStatic) return false;

        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (current.ContainingType.SpecialType == SpecialType.System_Object) return true;
        }

        return false;
    }

    private static string Describe(Shape shape) =>
        shape switch
        {
            Shape.Concatenation => "The concatenation",
            Shape.InterpolatedString => "The interpolated string",
            Shape.Format => "string.Format",
            Shape.Substring => "Substring",
            _ => "ToString()",
        };

    private static string Advice(Shape shape, string methodName) =>
        (shape, methodName) switch
        {
            (Shape.Concatenation or Shape.InterpolatedString, "Append") => "append the parts one by one",
            (Shape.Format, "Append") => "use AppendFormat",
            (Shape.Substring, "Append") => "use Append(s, start, count)",
            (Shape.Substring, _) => "insert s.AsSpan(start, count)",
            (Shape.ToStringCall, _) => $"pass the value to {methodName} itself",
            _ => "no Insert overload takes the parts; append in order instead of inserting where you can",
        };

    private static IArgumentOperation? ArgumentFor(ImmutableArray<IArgumentOperation> arguments, int ordinal)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal) return argument;
        }

        return null;
    }

    /// <summary>What kind of temporary string PK1002 found; the code fix classifies the same way.</summary>
    internal enum Shape
    {
        None,
        Concatenation,
        InterpolatedString,
        ToStringCall,
        Format,
        Substring,
    }
}
