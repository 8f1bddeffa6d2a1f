using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ProfilingKit.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK1008, for Substring only: <c>int.Parse(s.Substring(i, n))</c> → <c>int.Parse(s.AsSpan(i, n))</c>
/// (the analyzer has checked that the call then binds to the same method's ReadOnlySpan&lt;char&gt;
/// overload), and <c>s.Substring(i, n) == "x"</c> → <c>s.AsSpan(i, n).SequenceEqual("x")</c>. Adds
/// <c>using System;</c> when MemoryExtensions is not in scope. ToList()/ToArray() and Split get no
/// fix: what replaces them (hoisting, a reused buffer, a span splitter) depends on the code around.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CopyPerIterationCodeFix)), Shared]
public sealed class CopyPerIterationCodeFix : CodeFixProvider
{
    private const string EquivalenceKey = RuleIdentifiers.CopyPerIteration;

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.CopyPerIteration);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(CopyPerIterationRule.FixProperty, out var fix)) continue;
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Substring" },
                } substring)
            {
                continue;
            }

            var document = context.Document;
            switch (fix)
            {
                case CopyPerIterationRule.AsSpanArgumentFix:
                    context.RegisterCodeFix(
                        CodeAction.Create("Pass AsSpan(...) instead of Substring(...)", cancellationToken => ReplaceAsync(document, substring, AsSpan(substring), cancellationToken), EquivalenceKey),
                        diagnostic);
                    break;
                case CopyPerIterationRule.AsSpanComparisonFix when substring.Parent is BinaryExpressionSyntax comparison:
                    context.RegisterCodeFix(
                        CodeAction.Create("Compare AsSpan(...) with SequenceEqual", cancellationToken => ReplaceAsync(document, comparison, SequenceEqual(comparison, substring), cancellationToken), EquivalenceKey),
                        diagnostic);
                    break;
            }
        }
    }

    private static InvocationExpressionSyntax AsSpan(InvocationExpressionSyntax substring)
    {
        var memberAccess = (MemberAccessExpressionSyntax)substring.Expression;
        return substring.WithExpression(memberAccess.WithName(IdentifierName("AsSpan").WithTriviaFrom(memberAccess.Name)));
    }

    /// <summary><c>s.Substring(i, n) == "x"</c> → <c>s.AsSpan(i, n).SequenceEqual("x")</c>; != adds a !.</summary>
    private static ExpressionSyntax SequenceEqual(BinaryExpressionSyntax comparison, InvocationExpressionSyntax substring)
    {
        var other = comparison.Left == substring ? comparison.Right : comparison.Left;
        ExpressionSyntax equal = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AsSpan(substring).WithoutTrivia(), IdentifierName("SequenceEqual")),
            ArgumentList(SingletonSeparatedList(Argument(other.WithoutTrivia()))));
        if (comparison.IsKind(SyntaxKind.NotEqualsExpression)) equal = PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, equal);
        return equal.WithTriviaFrom(comparison);
    }

    private static async Task<Document> ReplaceAsync(Document document, SyntaxNode oldNode, ExpressionSyntax newNode, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return document;

        var newRoot = root.ReplaceNode(oldNode, newNode);
        if (!IsMemoryExtensionsInScope(model, oldNode.SpanStart) && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = unit.WithUsings(unit.Usings.Insert(0, UsingDirective(ParseName("System")).WithTrailingTrivia(ElasticCarriageReturnLineFeed)));
        }

        return document.WithSyntaxRoot(newRoot);
    }

    /// <summary>AsSpan and SequenceEqual are extension methods of System.MemoryExtensions: a using System is needed to call them as such.</summary>
    private static bool IsMemoryExtensionsInScope(SemanticModel model, int position)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(position, name: "MemoryExtensions"))
        {
            if (symbol is INamedTypeSymbol { ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }) return true;
        }

        return false;
    }
}
