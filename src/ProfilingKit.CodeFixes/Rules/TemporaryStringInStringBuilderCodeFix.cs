using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ProfilingKit.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using Shape = ProfilingKit.Analyzers.TemporaryStringInStringBuilderAnalyzer.Shape;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK1002: hands the parts to the builder instead of building a temporary string:
/// <c>Append(a + b)</c> → <c>Append(a).Append(b)</c>, <c>Append(x.ToString())</c> → <c>Append(x)</c>,
/// <c>Append(string.Format(...))</c> → <c>AppendFormat(...)</c>, <c>Append(s.Substring(i, n))</c> →
/// <c>Append(s, i, n)</c>. Offered only where the compiler confirms the new call appends the same
/// text; Insert with a concatenation, an interpolated string or string.Format has no such overload.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TemporaryStringInStringBuilderCodeFix)), Shared]
public sealed class TemporaryStringInStringBuilderCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.TemporaryStringInStringBuilder;

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.TemporaryStringInStringBuilder);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node.FirstAncestorOrSelf<ArgumentSyntax>() is not { Parent.Parent: InvocationExpressionSyntax call }) continue;
            if (Replacement(model, call, context.CancellationToken) is not (var replacement, var title)) continue;

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    async cancellationToken =>
                    {
                        var currentRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                        return document.WithSyntaxRoot(currentRoot!.ReplaceNode(call, replacement.WithTriviaFrom(call)));
                    },
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The call that replaces <paramref name="call"/>, with the code action's title; null when no equivalent call exists.</summary>
    private static (ExpressionSyntax Replacement, string Title)? Replacement(SemanticModel model, InvocationExpressionSyntax call, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation invocation) return null;

        var method = invocation.TargetMethod.Name;
        var stringOrdinal = method == "Append" ? 0 : 1;
        var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == stringOrdinal);
        if (argument?.Syntax is not ArgumentSyntax argumentSyntax) return null;

        var value = argument.Value;
        var position = call.SpanStart;
        var leading = method == "Insert" ? LeadingArguments(invocation, stringOrdinal) : null;

        switch (TemporaryStringInStringBuilderAnalyzer.Classify(value))
        {
            case Shape.Concatenation when method == "Append":
            {
                var operands = StringConcatenation.Operands((IBinaryOperation)value);
                return AppendEach(model, call, argumentSyntax, invocation, operands, operands.Select(o => AppendChain.ArgumentFor(model, o, position, cancellationToken)), "Append the parts one by one");
            }

            case Shape.InterpolatedString when method == "Append":
            {
                var parts = ((IInterpolatedStringOperation)value).Parts;
                var arguments = AppendChain.ArgumentsFor(model, parts, position, cancellationToken);
                return arguments is null ? null : AppendEach(model, call, argumentSyntax, invocation, parts, arguments, "Append the parts one by one");
            }

            case Shape.ToStringCall:
            {
                if (AppendChain.ReceiverOfToString(model, value, cancellationToken) is not { Type: { } receiverType } receiver) return null;
                var receiverSyntax = AppendChain.Unparenthesized(receiver.Syntax);
                if (!AppendChain.AppendsSameText(model, position, method, leading, receiverSyntax, receiverType)) return null;
                return (call.ReplaceNode(argumentSyntax.Expression, receiverSyntax), $"Pass the value to {method}");
            }

            case Shape.Format when method == "Append":
            {
                var format = (InvocationExpressionSyntax)value.Syntax;
                if (format.ArgumentList.Arguments.Any(a => a.NameColon is not null)) return null;
                var formatArguments = format.ArgumentList.Arguments.Select(a => a.Expression).ToList();
                var last = formatArguments[formatArguments.Count - 1];
                if (AppendChain.BindSpeculatively(model, position, "AppendFormat", formatArguments.Take(formatArguments.Count - 1), last) is null) return null;
                return (call.WithExpression(Renamed(call.Expression, "AppendFormat")).WithArgumentList(format.ArgumentList.WithoutTrivia()), "Use AppendFormat");
            }

            case Shape.Substring:
                return SubstringReplacement(model, call, invocation, (IInvocationOperation)value, method, leading, position);

            default:
                return null;
        }
    }

    /// <summary><c>sb.Append(first).Append(second)...</c>; null when a part has no equivalent Append or a later part reads the builder (its length would change in between).</summary>
    private static (ExpressionSyntax, string)? AppendEach(
        SemanticModel model,
        InvocationExpressionSyntax call,
        ArgumentSyntax argumentSyntax,
        IInvocationOperation invocation,
        IEnumerable<IOperation> parts,
        IEnumerable<ExpressionSyntax?> arguments,
        string title)
    {
        var list = arguments.ToList();
        if (list.Count < 2 || list.Any(a => a is null)) return null;

        if (invocation.Instance is { } builder && parts.Skip(1).Any(part => StringConcatenation.Reads(part, builder))) return null;

        var first = call.ReplaceNode(argumentSyntax.Expression, list[0]!);
        return (AppendChain.Build(first, list.Skip(1)!), title);
    }

    /// <summary>Append(s, start, count) for s.Substring(start, count); a span of s for Substring(start) or for Insert.</summary>
    private static (ExpressionSyntax, string)? SubstringReplacement(
        SemanticModel model,
        InvocationExpressionSyntax call,
        IInvocationOperation invocation,
        IInvocationOperation substring,
        string method,
        List<ExpressionSyntax>? leading,
        int position)
    {
        if (substring.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var text } }) return null;

        var substringArguments = substring.Arguments.OrderBy(a => a.Parameter?.Ordinal).Select(a => (ExpressionSyntax)a.Value.Syntax).ToList();
        if (substringArguments.Count != substring.Arguments.Length) return null;
        var receiver = text.WithoutTrivia();

        if (method == "Append" && substringArguments.Count == 2)
        {
            var arguments = new List<ExpressionSyntax> { AppendChain.Unparenthesized(receiver), substringArguments[0], substringArguments[1] };
            var bound = AppendChain.BindSpeculatively(model, position, "Append", arguments.Take(2), arguments[2]);
            if (bound is null || bound.Parameters.Length != 3 || bound.Parameters[0].Type.SpecialType != SpecialType.System_String) return null;
            return (call.WithArgumentList(ArgumentList(SeparatedList(arguments.Select(a => Argument(a.WithoutTrivia()))))), "Use Append(s, start, count)");
        }

        var span = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, IdentifierName("AsSpan")),
            ArgumentList(SeparatedList(substringArguments.Select(a => Argument(a.WithoutTrivia())))));
        var spanCall = AppendChain.BindSpeculatively(model, position, method, leading, span);
        if (spanCall is null || !IsReadOnlySpanOfChar(spanCall.Parameters[spanCall.Parameters.Length - 1].Type)) return null;

        var stringArgument = invocation.Arguments.First(a => a.Parameter?.Ordinal == (method == "Append" ? 0 : 1));
        return (call.ReplaceNode(((ArgumentSyntax)stringArgument.Syntax).Expression, span), $"{method} a span of the string");
    }

    private static List<ExpressionSyntax> LeadingArguments(IInvocationOperation invocation, int stringOrdinal) =>
        invocation.Arguments
            .Where(a => a.Parameter is { } p && p.Ordinal < stringOrdinal)
            .OrderBy(a => a.Parameter!.Ordinal)
            .Select(a => (ExpressionSyntax)a.Value.Syntax)
            .ToList();

    private static ExpressionSyntax Renamed(ExpressionSyntax memberExpression, string name) =>
        memberExpression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(IdentifierName(name)),
            MemberBindingExpressionSyntax binding => binding.WithName(IdentifierName(name)),
            _ => memberExpression,
        };

    private static bool IsReadOnlySpanOfChar(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "ReadOnlySpan", Arity: 1 } span && span.TypeArguments[0].SpecialType == SpecialType.System_Char;
}
