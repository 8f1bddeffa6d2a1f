using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ProfilingKit.Analyzers;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK1003: removes an explicit cast to object where the call then binds to an overload taking the
/// value's own type, <c>sb.Append((object)count)</c> → <c>sb.Append(count)</c>. Offered only for
/// StringBuilder.Append/Insert, TextWriter.Write/WriteLine and Console.Write/WriteLine, whose typed
/// overloads write the same text as the object overload. Other boxes have no fix that keeps the
/// meaning (see docs/rules/PK1003.md).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BoxingInHotPlaceCodeFix)), Shared]
public sealed class BoxingInHotPlaceCodeFix : CodeFixProvider
{
    private const string Title = "Remove the cast to object: call the overload for the value's own type";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.BoxingInHotPlace);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not CastExpressionSyntax cast) continue;
            if (model.GetOperation(cast, context.CancellationToken) is not IConversionOperation conversion) continue;
            if (!BoxingInHotPlaceRule.IsRemovableCast(conversion)) continue;

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title,
                    async cancellationToken =>
                    {
                        var currentRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                        return document.WithSyntaxRoot(currentRoot!.ReplaceNode(cast, Uncast(cast)));
                    },
                    RuleIdentifiers.BoxingInHotPlace),
                diagnostic);
        }
    }

    /// <summary>The cast's operand, without the parentheses the cast needed.</summary>
    private static ExpressionSyntax Uncast(CastExpressionSyntax cast)
    {
        var operand = cast.Expression;
        if (operand is ParenthesizedExpressionSyntax { Expression: var inner }) operand = inner;
        return operand.WithTriviaFrom(cast);
    }
}
