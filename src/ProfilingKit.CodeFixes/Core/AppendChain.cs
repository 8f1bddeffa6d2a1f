using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ProfilingKit.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// Turns the parts of a string concatenation or interpolated string into StringBuilder.Append
/// arguments, and only where the compiler confirms that Append(part) binds to an overload that
/// appends the same text the string conversion would have produced. Shared by the PK1001 and
/// PK1002 fixes.
/// </summary>
internal static class AppendChain
{
    /// <summary><c>receiver.Append(a).Append(b)...</c> for each argument in turn.</summary>
    public static ExpressionSyntax Build(ExpressionSyntax receiver, IEnumerable<ExpressionSyntax> arguments)
    {
        var current = receiver;
        foreach (var argument in arguments)
        {
            current = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, current, IdentifierName("Append")),
                ArgumentList(SingletonSeparatedList(Argument(argument))));
        }

        return current;
    }

    /// <summary>
    /// The Append argument for one operand of a string concatenation, or null when no Append
    /// overload appends the same text: a user-defined conversion to string, a char[] (Append
    /// appends its characters, concatenation its type name), a null literal. <c>x.ToString()</c>
    /// becomes <c>x</c> where that is equivalent: x is a value type or known not to be null.
    /// </summary>
    public static ExpressionSyntax? ArgumentFor(SemanticModel model, IOperation part, int position, CancellationToken cancellationToken)
    {
        if (part is IConversionOperation { IsImplicit: true, Conversion.IsUserDefined: true }) return null;

        var value = StringConcatenation.WithoutImplicitConversions(part);
        if (value.Syntax is not ExpressionSyntax syntax || value.Type is null) return null;

        // "," as a literal: Append(',') appends the same character without a string to read.
        if (syntax is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } && value.ConstantValue is { HasValue: true, Value: string { Length: 1 } text })
        {
            return TextLiteral(text);
        }

        if (ReceiverOfToString(model, value, cancellationToken) is { Syntax: ExpressionSyntax receiver, Type: { } receiverType }
            && AppendsSameText(model, position, "Append", leadingArguments: null, receiver, receiverType))
        {
            return Unparenthesized(receiver);
        }

        return AppendsSameText(model, position, "Append", leadingArguments: null, syntax, value.Type) ? Unparenthesized(syntax) : null;
    }

    /// <summary>Append arguments for the parts of an interpolated string: text as literals, holes as values; null if a hole has an alignment or format.</summary>
    public static List<ExpressionSyntax>? ArgumentsFor(SemanticModel model, IEnumerable<IInterpolatedStringContentOperation> parts, int position, CancellationToken cancellationToken)
    {
        var arguments = new List<ExpressionSyntax>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string text } }:
                    arguments.Add(TextLiteral(text));
                    break;
                case IInterpolationOperation { Alignment: null, FormatString: null } hole:
                    if (ArgumentFor(model, hole.Expression, position, cancellationToken) is not { } argument) return null;
                    arguments.Add(argument);
                    break;
                default:
                    return null;
            }
        }

        return arguments;
    }

    /// <summary>
    /// The receiver <c>x</c> of <c>x.ToString()</c> when Append(x) would append the same text:
    /// ToString is object's (or an override), and x cannot be null, where ToString would throw and
    /// Append(x) would append nothing.
    /// </summary>
    public static IOperation? ReceiverOfToString(SemanticModel model, IOperation value, CancellationToken cancellationToken)
    {
        if (TemporaryStringInStringBuilderAnalyzer.Classify(value) != TemporaryStringInStringBuilderAnalyzer.Shape.ToStringCall) return null;

        var receiver = ((IInvocationOperation)value).Instance;
        if (receiver is null || receiver.IsImplicit || receiver.Type is null) return null; // ToString() on an implicit this
        if (receiver.Type.IsValueType) return receiver;

        var flowState = model.GetTypeInfo(receiver.Syntax, cancellationToken).Nullability.FlowState;
        return flowState == NullableFlowState.NotNull ? receiver : null;
    }

    /// <summary>
    /// Whether <c>new StringBuilder().{method}(leading..., argument)</c> binds to an overload that
    /// appends what the string conversion of <paramref name="argumentType"/> gives: its own type's
    /// overload (numbers, bool, char, string, StringBuilder, ReadOnlyMemory&lt;char&gt;), object,
    /// or ReadOnlySpan&lt;char&gt; for a char span. Arrays are excluded: Append(char[]) appends the characters.
    /// </summary>
    public static bool AppendsSameText(SemanticModel model, int position, string method, IEnumerable<ExpressionSyntax>? leadingArguments, ExpressionSyntax argument, ITypeSymbol argumentType)
    {
        if (argumentType is IArrayTypeSymbol) return false;

        var call = BindSpeculatively(model, position, method, leadingArguments, argument);
        if (call is null) return false;

        var parameterType = call.Parameters[call.Parameters.Length - 1].Type;
        return SymbolEqualityComparer.Default.Equals(parameterType, argumentType)
            || parameterType.SpecialType == SpecialType.System_Object
            || (IsReadOnlySpanOfChar(parameterType) && IsSpanOfChar(argumentType));
    }

    /// <summary>The StringBuilder method <c>new StringBuilder().{method}(arguments)</c> would call at <paramref name="position"/>, or null.</summary>
    public static IMethodSymbol? BindSpeculatively(SemanticModel model, int position, string method, IEnumerable<ExpressionSyntax>? leadingArguments, ExpressionSyntax? lastArgument)
    {
        var arguments = new List<ArgumentSyntax>();
        if (leadingArguments is not null)
        {
            foreach (var leading in leadingArguments) arguments.Add(Argument(leading.WithoutTrivia()));
        }

        if (lastArgument is not null) arguments.Add(Argument(lastArgument.WithoutTrivia()));

        var call = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, ParseExpression("new global::System.Text.StringBuilder()"), IdentifierName(method)),
            ArgumentList(SeparatedList(arguments)));
        var symbol = model.GetSpeculativeSymbolInfo(position, call, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol;
        return symbol is { Name: var name, ContainingType: { Name: "StringBuilder" } } && name == method ? symbol : null;
    }

    /// <summary>A literal for appended text: a char literal for one character (Append(char) appends it as is), else a string literal.</summary>
    public static LiteralExpressionSyntax TextLiteral(string text) =>
        text.Length == 1
            ? LiteralExpression(SyntaxKind.CharacterLiteralExpression, Literal(text[0]))
            : LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(text));

    public static ExpressionSyntax Unparenthesized(SyntaxNode syntax)
    {
        var expression = (ExpressionSyntax)syntax;
        while (expression is ParenthesizedExpressionSyntax parenthesized) expression = parenthesized.Expression;
        return expression.WithoutTrivia();
    }

    private static bool IsSpanOfChar(ITypeSymbol type) => IsSystemGenericOfChar(type, "Span") || IsReadOnlySpanOfChar(type);

    private static bool IsReadOnlySpanOfChar(ITypeSymbol type) => IsSystemGenericOfChar(type, "ReadOnlySpan");

    private static bool IsSystemGenericOfChar(ITypeSymbol type, string name) =>
        type is INamedTypeSymbol { Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } named
        && named.Name == name
        && named.TypeArguments[0].SpecialType == SpecialType.System_Char;
}
