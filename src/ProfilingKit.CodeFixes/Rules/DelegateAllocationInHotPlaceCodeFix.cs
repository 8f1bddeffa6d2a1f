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

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK1004: passes the captured state through ConcurrentDictionary.GetOrAdd's factoryArgument so the
/// lambda captures nothing and is cached:
/// <c>cache.GetOrAdd(key, k => Create(k, options))</c> →
/// <c>cache.GetOrAdd(key, static (k, options) => Create(k, options), options)</c>.
/// Offered only where the value the factory sees cannot differ: one captured local or parameter,
/// not 'this', never assigned inside any lambda or local function of the member (so nothing can
/// change it while GetOrAdd runs), and of a type that is copied as is (a reference type, a
/// primitive, an enum or a readonly struct). Other delegates have no state-passing overload to move to.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DelegateAllocationInHotPlaceCodeFix)), Shared]
public sealed class DelegateAllocationInHotPlaceCodeFix : CodeFixProvider
{
    private const string FactoryArgumentName = "factoryArgument";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.DelegateAllocationInHotPlace);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not LambdaExpressionSyntax lambda) continue;
            if (lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax } argument) continue;
            if (StateVariable(model, lambda, context.CancellationToken) is not { } variable) continue;

            var document = context.Document;
            var staticAllowed = ((CSharpParseOptions)lambda.SyntaxTree.Options).LanguageVersion >= LanguageVersion.CSharp9;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Pass '{variable.Name}' as GetOrAdd's factory argument",
                    async cancellationToken =>
                    {
                        var currentRoot = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                        var argumentList = (ArgumentListSyntax)argument.Parent!;
                        return document.WithSyntaxRoot(currentRoot!.ReplaceNode(argumentList, Rewrite(argumentList, argument, lambda, variable.Name, staticAllowed)));
                    },
                    RuleIdentifiers.DelegateAllocationInHotPlace),
                diagnostic);
        }
    }

    /// <summary>The captured variable to pass as state, after every check that keeps the meaning; null when one fails.</summary>
    private static ISymbol? StateVariable(SemanticModel model, LambdaExpressionSyntax lambda, CancellationToken cancellationToken)
    {
        // One implicitly typed parameter: the new one can be implicitly typed too.
        var parameters = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => new[] { simple.Parameter },
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.ParameterList.Parameters.ToArray(),
            _ => [],
        };
        if (parameters.Length != 1 || parameters[0].Type is not null || parameters[0].AttributeLists.Count > 0) return null;

        if (model.GetOperation(lambda, cancellationToken) is not IAnonymousFunctionOperation { Parent: IDelegateCreationOperation creation }) return null;
        if (DelegateAllocationInHotPlaceRule.StateVariableForGetOrAdd(creation) is not { } variable) return null;

        var type = variable switch
        {
            ILocalSymbol local when local.RefKind == RefKind.None => local.Type,
            IParameterSymbol parameter when parameter.RefKind == RefKind.None => parameter.Type,
            _ => null,
        };
        if (type is null || !IsCopiedAsIs(type)) return null;

        return IsWrittenInAnyFunction(model, lambda, variable, cancellationToken) ? null : variable;
    }

    /// <summary>A value whose copy behaves as the variable would: no mutable struct state to diverge.</summary>
    private static bool IsCopiedAsIs(ITypeSymbol type) =>
        type.IsReferenceType
        || type.TypeKind == TypeKind.Enum
        || type.SpecialType != SpecialType.None
        || type is INamedTypeSymbol { IsValueType: true, IsReadOnly: true };

    /// <summary>
    /// True when a lambda or local function of the member assigns the variable: that code could run
    /// while GetOrAdd does, and the factory would then see a different value than the argument.
    /// </summary>
    private static bool IsWrittenInAnyFunction(SemanticModel model, LambdaExpressionSyntax lambda, ISymbol variable, CancellationToken cancellationToken)
    {
        var member = lambda.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (member is null) return true; // top-level statements and the like: don't guess

        foreach (var node in member.DescendantNodes())
        {
            SyntaxNode? body = node switch
            {
                AnonymousFunctionExpressionSyntax function => function.Body,
                LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody?.Expression,
                _ => null,
            };

            var flow = body switch
            {
                StatementSyntax statement => model.AnalyzeDataFlow(statement),
                ExpressionSyntax expression => model.AnalyzeDataFlow(expression),
                _ => null,
            };
            if (flow is null) continue;
            if (!flow.Succeeded || flow.WrittenInside.Contains(variable, SymbolEqualityComparer.Default)) return true;
            cancellationToken.ThrowIfCancellationRequested();
        }

        return false;
    }

    private static ArgumentListSyntax Rewrite(ArgumentListSyntax arguments, ArgumentSyntax factory, LambdaExpressionSyntax lambda, string variable, bool staticAllowed)
    {
        var oldParameter = lambda is SimpleLambdaExpressionSyntax simple
            ? simple.Parameter
            : ((ParenthesizedLambdaExpressionSyntax)lambda).ParameterList.Parameters[0];

        var parameterList = ParameterList(
            SeparatedList(
                new[] { oldParameter.WithoutTrivia(), Parameter(Identifier(variable)) },
                new[] { Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space) }));

        // 'static' goes first; the lambda's leading trivia moves to whichever token now starts it.
        var modifiers = TokenList(lambda.Modifiers.Select(token => token.WithLeadingTrivia()));
        if (staticAllowed) modifiers = modifiers.Insert(0, Token(SyntaxKind.StaticKeyword).WithTrailingTrivia(Space));

        var newLambda = ParenthesizedLambdaExpression(modifiers, parameterList.WithTrailingTrivia(Space), lambda.ArrowToken, lambda.Block, lambda.ExpressionBody)
            .WithLeadingTrivia(lambda.GetLeadingTrivia())
            .WithTrailingTrivia(lambda.GetTrailingTrivia());

        var stateArgument = Argument(IdentifierName(variable));
        if (factory.NameColon is not null) stateArgument = stateArgument.WithNameColon(NameColon(FactoryArgumentName));

        var index = arguments.Arguments.IndexOf(factory);
        var newArguments = arguments.Arguments
            .Replace(factory, factory.WithExpression(newLambda))
            .Insert(index + 1, stateArgument);

        // Keep the original separators' trivia and give the new one a space after the comma.
        var separators = newArguments.GetSeparators().Select(separator => separator.WithTrailingTrivia(Space)).ToList();
        return arguments.WithArguments(SeparatedList(newArguments, separators));
    }
}
