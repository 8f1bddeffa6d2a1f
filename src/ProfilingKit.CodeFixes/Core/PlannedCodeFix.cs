using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// A code fix that first plans its rewrite (or finds it unsafe) and then applies one or more plans
/// with one editor. Fix-all plans every diagnostic of a document together, in source order, so that
/// plans which touch the same code (one loop, one start local, one insertion point) are merged,
/// where the default batch fixer would see conflicting edits.
/// </summary>
public abstract class PlannedCodeFix<TPlan> : CodeFixProvider
    where TPlan : class
{
    /// <summary>The one rule this fix fixes; also the equivalence key of every action of it.</summary>
    protected abstract string RuleId { get; }

    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleId);

    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            var plan = CreatePlan(model, root, diagnostic, Array.Empty<TPlan>(), context.CancellationToken);
            if (plan is null) continue;

            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(Title(plan), cancellationToken => ApplyAsync(document, new[] { plan }, cancellationToken), RuleId),
                diagnostic);
        }
    }

    /// <summary>
    /// The rewrite for <paramref name="diagnostic"/>, or null when it is unsafe or already part of
    /// one of <paramref name="plannedSoFar"/> (the plans fix-all made for earlier diagnostics).
    /// </summary>
    protected abstract TPlan? CreatePlan(SemanticModel model, SyntaxNode root, Diagnostic diagnostic, IReadOnlyList<TPlan> plannedSoFar, CancellationToken cancellationToken);

    /// <summary>The title the IDE shows for <paramref name="plan"/>.</summary>
    protected abstract string Title(TPlan plan);

    protected abstract Task<Document> ApplyAsync(Document document, IReadOnlyList<TPlan> plans, CancellationToken cancellationToken);

    private async Task<Document?> FixAllAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return null;

        var plans = new List<TPlan>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (CreatePlan(model, root, diagnostic, plans, context.CancellationToken) is { } plan) plans.Add(plan);
        }

        return plans.Count == 0 ? document : await ApplyAsync(document, plans, context.CancellationToken).ConfigureAwait(false);
    }
}
