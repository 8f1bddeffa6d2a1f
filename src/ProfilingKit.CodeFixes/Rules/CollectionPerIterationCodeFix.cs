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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using ProfilingKit.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK1007: moves <c>var list = new List&lt;T&gt;();</c> out of the loop (out of all the nested loops around
/// it, in the same function), right before it, and leaves
/// <c>list.Clear();</c> where the creation was, so every iteration still starts from an empty
/// collection. Offered when that cannot change what the code computes: the creation takes no
/// initializer and only constant or static arguments (a capacity, a comparer), or is an empty
/// collection expression; the local's type has Clear(); the name is not declared anywhere else in
/// the block the declaration moves to; the declaration runs on every iteration (not in a branch,
/// which would make it run where it was never needed). Arrays get no fix: reusing one is only right when the length
/// is fixed and every element is overwritten before it is read, which the fix cannot know.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CollectionPerIterationCodeFix)), Shared]
public sealed class CollectionPerIterationCodeFix : PlannedCodeFix<CollectionPerIterationCodeFix.Plan>
{
    protected override string RuleId => RuleIdentifiers.CollectionPerIteration;

    // Several collections hoisted before the same loop are inserted at the same place: one editor applies them all.
    protected override Plan? CreatePlan(SemanticModel model, SyntaxNode root, Diagnostic diagnostic, IReadOnlyList<Plan> plannedSoFar, CancellationToken cancellationToken) =>
        Plan.Create(model, root, diagnostic, cancellationToken);

    protected override string Title(Plan plan) => $"Create '{plan.Name}' once before the loop and Clear() it";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Plan> plans, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            // The declaration keeps its own end of line, so the file keeps its line endings.
            var hoisted = plan.Declaration.WithoutLeadingTrivia().WithAdditionalAnnotations(Formatter.Annotation);
            if (plan.InsertBefore is GlobalStatementSyntax)
            {
                editor.InsertBefore(plan.InsertBefore, GlobalStatement(hoisted).WithAdditionalAnnotations(Formatter.Annotation));
            }
            else
            {
                editor.InsertBefore(plan.InsertBefore, hoisted);
            }

            var clear = ExpressionStatement(
                InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(plan.Identifier), IdentifierName("Clear"))));
            editor.ReplaceNode(plan.Declaration, clear.WithTriviaFrom(plan.Declaration));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>What the fix moves and where, worked out before any edit.</summary>
    public sealed class Plan
    {
        private Plan(LocalDeclarationStatementSyntax declaration, SyntaxToken identifier, SyntaxNode insertBefore)
        {
            Declaration = declaration;
            Identifier = identifier;
            InsertBefore = insertBefore;
        }

        public LocalDeclarationStatementSyntax Declaration { get; }

        /// <summary>The local's name as written (with @ if it has one).</summary>
        public SyntaxToken Identifier { get; }

        public string Name => Identifier.ValueText;

        /// <summary>The loop statement, or the top-level statement that holds it.</summary>
        public SyntaxNode InsertBefore { get; }

        public static Plan? Create(SemanticModel model, SyntaxNode root, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.Properties.TryGetValue(CollectionPerIterationRule.IsArrayProperty, out var isArray) && isArray == "true") return null;

            var creation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) as ExpressionSyntax;
            if (creation?.Parent is not EqualsValueClauseSyntax
                {
                    Parent: VariableDeclaratorSyntax
                    {
                        Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { IsConst: false } declaration },
                    } declarator,
                })
            {
                return null;
            }

            if (!declaration.UsingKeyword.IsKind(SyntaxKind.None) || !declaration.AwaitKeyword.IsKind(SyntaxKind.None)) return null;
            if (!IsReusableCreation(model, creation, cancellationToken)) return null;
            if (model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local || !HasClear(local.Type)) return null;

            var loop = OutermostLoop(declaration);
            if (loop is null || !RunsOnEveryIteration(declaration, loop)) return null;

            // Top-level statements: the loop sits in a GlobalStatement of the compilation unit.
            SyntaxNode insertBefore = loop.Parent is GlobalStatementSyntax global ? global : loop;
            SyntaxNode scope;
            switch (insertBefore.Parent)
            {
                case BlockSyntax or SwitchSectionSyntax:
                    scope = insertBefore.Parent;
                    break;
                case CompilationUnitSyntax unit when insertBefore is GlobalStatementSyntax:
                    scope = unit;
                    break;
                default:
                    return null; // an embedded statement (if (x) while (...)): nowhere to put a declaration
            }

            if (IsNameDeclaredElsewhere(scope, declarator)) return null;
            return new Plan(declaration, declarator.Identifier, insertBefore);
        }

        /// <summary>No initializer and only constant or static arguments, or an empty collection expression.</summary>
        private static bool IsReusableCreation(SemanticModel model, ExpressionSyntax creation, CancellationToken cancellationToken)
        {
            switch (creation)
            {
                case CollectionExpressionSyntax collection:
                    return collection.Elements.Count == 0;
                case BaseObjectCreationExpressionSyntax objectCreation when objectCreation.Initializer is null or { Expressions.Count: 0 }:
                    if (objectCreation.ArgumentList is null) return true;
                    foreach (var argument in objectCreation.ArgumentList.Arguments)
                    {
                        if (!argument.RefKindKeyword.IsKind(SyntaxKind.None)) return false;
                        if (model.GetConstantValue(argument.Expression, cancellationToken).HasValue) continue;
                        var operation = model.GetOperation(argument.Expression, cancellationToken);
                        while (operation is IConversionOperation conversion) operation = conversion.Operand;
                        if (operation is IFieldReferenceOperation { Instance: null } or IPropertyReferenceOperation { Instance: null, Arguments.Length: 0 }) continue;
                        return false;
                    }

                    return true;
                default:
                    return false;
            }
        }

        private static bool HasClear(ITypeSymbol type)
        {
            foreach (var candidate in new[] { type }.Concat(type.AllInterfaces))
            {
                foreach (var member in candidate.GetMembers("Clear"))
                {
                    if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public }) return true;
                }
            }

            return false;
        }

        /// <summary>
        /// The outermost loop around the declaration within its function (not across a lambda or local
        /// function). The creation depends on nothing the loops compute, so it can leave all of them at
        /// once; moving it out of the innermost loop only would leave it created on every pass of the
        /// next one, and a second fix would add a second Clear().
        /// </summary>
        private static StatementSyntax? OutermostLoop(SyntaxNode node)
        {
            StatementSyntax? outermost = null;
            foreach (var ancestor in node.Ancestors())
            {
                switch (ancestor)
                {
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                        return outermost;
                    case ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                        outermost = (StatementSyntax)ancestor;
                        break;
                }
            }

            return outermost;
        }

        /// <summary>
        /// Whether the declaration runs on every iteration of every loop it would leave: between the
        /// two only blocks, loop bodies, and the unconditional blocks of try, using and lock. Moved out
        /// of an if, an else, a switch section or a catch, the creation would run where the code never
        /// needed it (once per pass of an outer loop, or once per call).
        /// </summary>
        private static bool RunsOnEveryIteration(SyntaxNode declaration, StatementSyntax loop)
        {
            for (var node = declaration; node != loop; node = node.Parent!)
            {
                var parent = node.Parent;
                var unconditional = parent switch
                {
                    BlockSyntax => true,
                    ForStatementSyntax forStatement => forStatement.Statement == node,
                    CommonForEachStatementSyntax forEach => forEach.Statement == node,
                    WhileStatementSyntax whileStatement => whileStatement.Statement == node,
                    DoStatementSyntax doStatement => doStatement.Statement == node,
                    TryStatementSyntax tryStatement => tryStatement.Block == node,
                    UsingStatementSyntax or LockStatementSyntax => true,
                    _ => false,
                };
                if (!unconditional) return false;
            }

            return true;
        }

        /// <summary>
        /// After the move the local's scope is the whole block around the loop: any other declaration
        /// of the name in that block (another loop's local, a lambda parameter...) would clash.
        /// </summary>
        private static bool IsNameDeclaredElsewhere(SyntaxNode scope, VariableDeclaratorSyntax declarator)
        {
            var name = declarator.Identifier.ValueText;
            foreach (var node in scope.DescendantNodes())
            {
                if (node == declarator) continue;
                var identifier = node switch
                {
                    VariableDeclaratorSyntax other => other.Identifier,
                    SingleVariableDesignationSyntax designation => designation.Identifier,
                    ForEachStatementSyntax forEach => forEach.Identifier,
                    ParameterSyntax parameter => parameter.Identifier,
                    CatchDeclarationSyntax catchDeclaration => catchDeclaration.Identifier,
                    LocalFunctionStatementSyntax localFunction => localFunction.Identifier,
                    FromClauseSyntax from => from.Identifier,
                    LetClauseSyntax let => let.Identifier,
                    JoinClauseSyntax join => join.Identifier,
                    JoinIntoClauseSyntax into => into.Identifier,
                    QueryContinuationSyntax continuation => continuation.Identifier,
                    _ => default,
                };
                if (identifier.ValueText == name) return true;
            }

            return false;
        }
    }
}
