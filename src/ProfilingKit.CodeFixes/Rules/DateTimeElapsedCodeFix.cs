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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using ProfilingKit.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK2002: <c>var start = DateTime.UtcNow; ... DateTime.UtcNow - start</c> becomes
/// <c>var start = Stopwatch.GetTimestamp(); ... Stopwatch.GetElapsedTime(start)</c>, and
/// <c>end - start</c> becomes <c>Stopwatch.GetElapsedTime(start, end)</c>. The locals turn into long
/// timestamps, so the fix is offered only when every use of them is a reading of the clock assigned
/// to them or one of these subtractions, and only when Stopwatch.GetElapsedTime (.NET 7+) exists.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DateTimeElapsedCodeFix)), Shared]
public sealed class DateTimeElapsedCodeFix : PlannedCodeFix<DateTimeElapsedCodeFix.Plan>
{
    protected override string RuleId => RuleIdentifiers.DateTimeElapsed;

    // Diagnostics that share a start local share one rewrite.
    protected override Plan? CreatePlan(SemanticModel model, SyntaxNode root, Diagnostic diagnostic, IReadOnlyList<Plan> plannedSoFar, CancellationToken cancellationToken) =>
        plannedSoFar.Any(p => p.Covers(diagnostic.Location.SourceSpan)) ? null : Plan.Create(model, root, diagnostic.Location.SourceSpan, cancellationToken);

    protected override string Title(Plan plan) => "Measure with Stopwatch.GetTimestamp and GetElapsedTime";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Plan> plans, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || plans.Count == 0) return document;

        // "Stopwatch" when it names System.Diagnostics.Stopwatch here, or will once a using is added;
        // the full name when another type called Stopwatch is in scope, or when the using would make
        // some other name in the file ambiguous.
        var inScope = model.LookupNamespacesAndTypes(plans[0].Subtractions[0].Syntax.SpanStart, name: "Stopwatch");
        if (inScope.Length == 1 && SymbolEqualityComparer.Default.Equals(inScope[0], plans[0].Stopwatch))
        {
            return await RewriteAsync(document, plans, "Stopwatch", addUsing: false, cancellationToken).ConfigureAwait(false);
        }

        if (inScope.IsEmpty)
        {
            var withUsing = await RewriteAsync(document, plans, "Stopwatch", addUsing: true, cancellationToken).ConfigureAwait(false);
            if (await ErrorCountAsync(withUsing, cancellationToken).ConfigureAwait(false) <= await ErrorCountAsync(document, cancellationToken).ConfigureAwait(false)) return withUsing;
        }

        return await RewriteAsync(document, plans, "global::System.Diagnostics.Stopwatch", addUsing: false, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ErrorCountAsync(Document document, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return model?.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error) ?? 0;
    }

    private static async Task<Document> RewriteAsync(Document document, IReadOnlyList<Plan> plans, string stopwatchName, bool addUsing, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        ExpressionSyntax Stopwatch() => ParseExpression(stopwatchName);
        ExpressionSyntax GetTimestamp() => InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Stopwatch(), IdentifierName("GetTimestamp")));
        ExpressionSyntax Timestamp(IOperation operand) =>
            operand is ILocalReferenceOperation ? ((ExpressionSyntax)operand.Syntax).WithoutTrivia() : GetTimestamp();

        foreach (var plan in plans)
        {
            foreach (var declarator in plan.Declarators)
            {
                editor.ReplaceNode(declarator.Initializer!.Value, GetTimestamp().WithTriviaFrom(declarator.Initializer.Value));
                if (declarator.Parent is VariableDeclarationSyntax { Type.IsVar: false } declaration)
                {
                    editor.ReplaceNode(declaration.Type, PredefinedType(Token(SyntaxKind.LongKeyword)).WithTriviaFrom(declaration.Type));
                }
            }

            foreach (var value in plan.AssignedValues)
            {
                editor.ReplaceNode(value, GetTimestamp().WithTriviaFrom(value));
            }

            foreach (var (syntax, minuend, subtrahend) in plan.Subtractions)
            {
                // a - b is the time from b to a: GetElapsedTime(b, a), or GetElapsedTime(b) when a is "now".
                var arguments = WallClockReads.IsClockRead(minuend)
                    ? new[] { Argument(Timestamp(subtrahend)) }
                    : new[] { Argument(Timestamp(subtrahend)), Argument(Timestamp(minuend)) };
                var elapsed = InvocationExpression(
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Stopwatch(), IdentifierName("GetElapsedTime")),
                    ArgumentList(SeparatedList(arguments)));
                var replaced = syntax.Parent is ParenthesizedExpressionSyntax parenthesized ? parenthesized : syntax;
                editor.ReplaceNode(replaced, elapsed.WithTriviaFrom(replaced));
            }
        }

        var changed = editor.GetChangedDocument();
        if (!addUsing) return changed;

        var root = await changed.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is CompilationUnitSyntax unit ? changed.WithSyntaxRoot(AddUsing(unit, "System.Diagnostics")) : changed;
    }

    /// <summary>Adds <c>using {name};</c> among the file's usings, in ordinal order (System first, as the usings usually are).</summary>
    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string name)
    {
        var directive = UsingDirective(ParseName(name)).WithTrailingTrivia(ElasticCarriageReturnLineFeed);
        var usings = unit.Usings;
        var index = 0;
        while (index < usings.Count
            && usings[index].StaticKeyword.IsKind(SyntaxKind.None) && usings[index].Alias is null
            && string.CompareOrdinal(usings[index].NamespaceOrType.ToString(), name) < 0)
        {
            index++;
        }

        if (index < usings.Count)
        {
            // Take over the leading trivia of the directive it goes before (a file header stays on top).
            var next = usings[index];
            directive = directive.WithLeadingTrivia(next.GetLeadingTrivia());
            usings = usings.Replace(next, next.WithLeadingTrivia()).Insert(index, directive);
        }
        else if (usings.Count > 0)
        {
            directive = directive.WithTrailingTrivia(usings[usings.Count - 1].GetTrailingTrivia());
            usings = usings.Add(directive);
        }
        else
        {
            usings = usings.Add(directive.WithTrailingTrivia(ElasticCarriageReturnLineFeed, ElasticCarriageReturnLineFeed));
        }

        return unit.WithUsings(usings);
    }

    /// <summary>Everything one rewrite touches: the start/end locals, their clock assignments, the subtractions.</summary>
    public sealed class Plan
    {
        private Plan(INamedTypeSymbol stopwatch, List<VariableDeclaratorSyntax> declarators, List<ExpressionSyntax> assignedValues, List<(ExpressionSyntax, IOperation, IOperation)> subtractions)
        {
            Stopwatch = stopwatch;
            Declarators = declarators;
            AssignedValues = assignedValues;
            Subtractions = subtractions;
        }

        public INamedTypeSymbol Stopwatch { get; }

        public List<VariableDeclaratorSyntax> Declarators { get; }

        /// <summary>The DateTime.Now/UtcNow in <c>start = DateTime.UtcNow;</c> statements.</summary>
        public List<ExpressionSyntax> AssignedValues { get; }

        public List<(ExpressionSyntax Syntax, IOperation Minuend, IOperation Subtrahend)> Subtractions { get; }

        public bool Covers(Microsoft.CodeAnalysis.Text.TextSpan span) => Subtractions.Any(s => s.Syntax.Span == span);

        public static Plan? Create(SemanticModel model, SyntaxNode root, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
        {
            var stopwatch = model.Compilation.GetTypeByMetadataName("System.Diagnostics.Stopwatch");
            if (stopwatch is null || !HasElapsedTimeApi(stopwatch)) return null;

            var node = root.FindNode(span, getInnermostNodeForTie: true);
            if (model.GetOperation(node, cancellationToken) is not { } subtraction
                || !WallClockReads.TryGetClockSubtraction(subtraction, out var firstMinuend, out var firstSubtrahend))
            {
                return null;
            }

            var body = WallClockReads.Root(subtraction);
            var references = body.Descendants().OfType<ILocalReferenceOperation>().ToList();
            var declaratorOperations = body.Descendants().OfType<IVariableDeclaratorOperation>().ToList();

            var declarators = new List<VariableDeclaratorSyntax>();
            var assignedValues = new List<ExpressionSyntax>();
            var subtractions = new List<(ExpressionSyntax, IOperation, IOperation)>();
            var seenSubtractions = new HashSet<IOperation>();
            var locals = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var pending = new Queue<IOperation>();
            pending.Enqueue(firstMinuend);
            pending.Enqueue(firstSubtrahend);

            while (pending.Count > 0)
            {
                var operand = pending.Dequeue();
                if (operand is not ILocalReferenceOperation { Local: var local } || !locals.Add(local)) continue;
                if (!WallClockReads.IsClockLocal(operand)) return null;

                // The declaration: a single variable, or "var" (each declarator then just changes its value).
                var declarator = declaratorOperations.FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local))?.Syntax as VariableDeclaratorSyntax;
                if (declarator?.Initializer is null
                    || declarator.Parent is not VariableDeclarationSyntax declaration
                    || (!declaration.Type.IsVar && declaration.Variables.Count > 1))
                {
                    return null;
                }

                declarators.Add(declarator);

                foreach (var reference in references)
                {
                    if (!SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
                    if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference)
                    {
                        // The assignment's value becomes a long: it must not be used as a DateTime.
                        if (assignment.Parent is not IExpressionStatementOperation) return null;
                        assignedValues.Add((ExpressionSyntax)assignment.Value.Syntax);
                        continue;
                    }

                    var candidate = reference.Parent is IArgumentOperation argument ? argument.Parent : reference.Parent;
                    if (candidate is null
                        || !WallClockReads.TryGetClockSubtraction(candidate, out var minuend, out var subtrahend)
                        || (minuend != reference && subtrahend != reference))
                    {
                        return null; // used as a DateTime somewhere else: it cannot become a timestamp
                    }

                    if (!seenSubtractions.Add(candidate)) continue;
                    if (WallClockReads.IsClockRead(minuend) && WallClockReads.IsClockRead(subtrahend)) return null;

                    subtractions.Add(((ExpressionSyntax)candidate.Syntax, minuend, subtrahend));
                    pending.Enqueue(minuend);
                    pending.Enqueue(subtrahend);
                }
            }

            return subtractions.Count == 0 ? null : new Plan(stopwatch, declarators, assignedValues, subtractions);
        }

        /// <summary>GetTimestamp(), GetElapsedTime(long) and GetElapsedTime(long, long): .NET 7 and later.</summary>
        private static bool HasElapsedTimeApi(INamedTypeSymbol stopwatch)
        {
            var elapsed = stopwatch.GetMembers("GetElapsedTime").OfType<IMethodSymbol>().Where(m => m.IsStatic).ToList();
            return elapsed.Any(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_Int64)
                && elapsed.Any(m => m.Parameters.Length == 2)
                && stopwatch.GetMembers("GetTimestamp").Any(m => m.IsStatic);
        }
    }
}
