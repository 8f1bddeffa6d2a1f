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
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;
using ProfilingKit.Analyzers;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ProfilingKit.CodeFixes;

/// <summary>
/// PK1001: for a local string declared before the loop in the same block, declares
/// <c>var sBuilder = new StringBuilder(s);</c> before the loop, turns each concatenation in the loop
/// into <c>sBuilder.Append(...)</c>, and assigns <c>s = sBuilder.ToString();</c> after it. Offered
/// only when that keeps the program's meaning: every mention of s in the loop is one of those
/// appends, s is not captured by a lambda or local function nor passed by reference, and the loop
/// has no goto that could skip the assignment after it. Fields, properties and parameters are
/// reported without a fix: other code can read them while the loop runs.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StringConcatenationInLoopCodeFix)), Shared]
public sealed class StringConcatenationInLoopCodeFix : PlannedCodeFix<StringConcatenationInLoopCodeFix.Plan>
{
    protected override string RuleId => RuleIdentifiers.StringConcatenationInLoop;

    // Several diagnostics in one loop share one rewrite, and two loops in one method need two builder names.
    protected override Plan? CreatePlan(SemanticModel model, SyntaxNode root, Diagnostic diagnostic, IReadOnlyList<Plan> plannedSoFar, CancellationToken cancellationToken) =>
        plannedSoFar.Any(p => p.Covers(diagnostic.Location.SourceSpan))
            ? null
            : Plan.Create(model, root, diagnostic.Location.SourceSpan, new HashSet<string>(plannedSoFar.Select(p => p.BuilderName)), cancellationToken);

    protected override string Title(Plan plan) => $"Build '{plan.Local.Name}' with a StringBuilder";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Plan> plans, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var plan in plans)
        {
            var builderType = ParseTypeName("System.Text.StringBuilder").WithAdditionalAnnotations(Simplifier.Annotation);
            var declaration = LocalDeclarationStatement(
                VariableDeclaration(
                    IdentifierName("var"),
                    SingletonSeparatedList(
                        VariableDeclarator(Identifier(plan.BuilderName))
                            .WithInitializer(EqualsValueClause(
                                ObjectCreationExpression(builderType)
                                    .WithArgumentList(ArgumentList(SingletonSeparatedList(Argument(IdentifierName(plan.LocalIdentifier))))))))));
            foreach (var (statement, arguments) in plan.Appends)
            {
                var append = ExpressionStatement(AppendChain.Build(IdentifierName(plan.BuilderName), arguments));
                editor.ReplaceNode(statement, append.WithTriviaFrom(statement));
            }

            var assignment = ExpressionStatement(
                AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression,
                    IdentifierName(plan.LocalIdentifier),
                    InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(plan.BuilderName), IdentifierName("ToString")))));

            // The builder's declaration takes the loop's place, blank lines and comments above it
            // included; the loop keeps only its indentation. Top-level statements get top-level ones.
            var target = plan.InsertionPoint;
            var leading = target.GetLeadingTrivia();
            editor.InsertBefore(target, AsStatementAt(target, declaration).WithLeadingTrivia(leading));
            editor.InsertAfter(target, AsStatementAt(target, assignment));
            editor.ReplaceNode(target, (current, _) => current.WithLeadingTrivia(Indentation(leading)));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>A statement to insert beside <paramref name="target"/>: wrapped in a GlobalStatement when the target is one.</summary>
    private static SyntaxNode AsStatementAt(SyntaxNode target, StatementSyntax statement)
    {
        if (target is not GlobalStatementSyntax) return statement.WithAdditionalAnnotations(Formatter.Annotation);

        // At the top level the formatter would set the new statements apart with blank lines: lay
        // them out by hand, normalized, ending with the loop's own line ending.
        var endOfLine = target.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var line = statement.NormalizeWhitespace(elasticTrivia: false).WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.None) ? CarriageReturnLineFeed : endOfLine);
        return GlobalStatement(line);
    }

    /// <summary>The whitespace that ends a leading trivia list: the line's indentation.</summary>
    private static SyntaxTriviaList Indentation(SyntaxTriviaList leading) =>
        leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? TriviaList(leading[leading.Count - 1]) : TriviaList();

    /// <summary>What the fix changes for one local and one loop, worked out before any edit.</summary>
    public sealed class Plan
    {
        private Plan(ILocalSymbol local, SyntaxToken localIdentifier, StatementSyntax loop, SyntaxNode insertionPoint, string builderName, List<(ExpressionStatementSyntax, List<ExpressionSyntax>)> appends)
        {
            Local = local;
            LocalIdentifier = localIdentifier;
            Loop = loop;
            InsertionPoint = insertionPoint;
            BuilderName = builderName;
            Appends = appends;
        }

        public ILocalSymbol Local { get; }

        /// <summary>The local's name as written (with @ if it has one).</summary>
        public SyntaxToken LocalIdentifier { get; }

        /// <summary>The loop statement in the block (or the top-level statements) that declares the local; the builder lives around it.</summary>
        public StatementSyntax Loop { get; }

        /// <summary>The loop, or the top-level statement that holds it: where the builder's statements go.</summary>
        public SyntaxNode InsertionPoint { get; }

        public string BuilderName { get; }

        /// <summary>Each concatenation statement and what it appends.</summary>
        public List<(ExpressionStatementSyntax Statement, List<ExpressionSyntax> Arguments)> Appends { get; }

        public bool Covers(TextSpan span) => Appends.Any(a => a.Statement.Span.Contains(span));

        public static Plan? Create(SemanticModel model, SyntaxNode root, TextSpan span, ISet<string> reservedNames, CancellationToken cancellationToken)
        {
            var assignment = root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AssignmentExpressionSyntax>();
            if (assignment is null) return null;
            if (model.GetOperation(assignment, cancellationToken) is not IAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } }) return null;

            // Declared by a plain local declaration in a block (or among top-level statements), with
            // the loop a later statement of that block.
            if (local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(cancellationToken) is not VariableDeclaratorSyntax
                {
                    Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax { IsConst: false } declaration },
                } declarator
                || !declaration.UsingKeyword.IsKind(SyntaxKind.None))
            {
                return null;
            }

            SyntaxNode block;
            StatementSyntax? loop;
            SyntaxNode insertionPoint;
            switch (declaration.Parent)
            {
                case BlockSyntax declaringBlock:
                    block = declaringBlock;
                    loop = assignment.Ancestors().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);
                    insertionPoint = loop!;
                    break;
                case GlobalStatementSyntax { Parent: CompilationUnitSyntax unit }:
                    block = unit;
                    var global = assignment.Ancestors().OfType<GlobalStatementSyntax>().FirstOrDefault();
                    loop = global?.Statement;
                    insertionPoint = global!;
                    break;
                default:
                    return null;
            }

            if (loop is not (ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax)) return null;
            if (loop.DescendantNodes().OfType<GotoStatementSyntax>().Any()) return null;

            // Every assignment to the local in the loop must be an append statement.
            var appends = new List<(ExpressionStatementSyntax, List<ExpressionSyntax>)>();
            var accountedFor = new HashSet<SyntaxNode>();
            foreach (var candidate in loop.DescendantNodes().OfType<AssignmentExpressionSyntax>())
            {
                if (model.GetOperation(candidate, cancellationToken) is not IAssignmentOperation { Target: ILocalReferenceOperation target } operation
                    || !SymbolEqualityComparer.Default.Equals(target.Local, local))
                {
                    continue;
                }

                if (candidate.Parent is not ExpressionStatementSyntax statement || IsInsideFunction(statement, loop)) return null;
                var arguments = AppendedArguments(model, operation, cancellationToken, out var readOfLocal);
                if (arguments is null) return null;

                appends.Add((statement, arguments));
                accountedFor.Add(target.Syntax);
                if (readOfLocal is not null) accountedFor.Add(readOfLocal);
            }

            // The builder starts from s and s ends as the builder's text, so s must not be null when
            // the loop starts: if the loop did not run, null would come out as "".
            if (declarator.Initializer is { } initializer && !IsNeverNull(model, initializer.Value, cancellationToken)) return null;

            // Any other mention of the local: none inside the loop; outside it, not captured, not by
            // reference, and any assignment before the loop stores a string that is never null.
            foreach (var identifier in block.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText != local.Name || accountedFor.Contains(identifier)) continue;
                if (model.GetOperation(identifier, cancellationToken) is not ILocalReferenceOperation reference
                    || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
                {
                    continue;
                }

                if (loop.Span.Contains(identifier.Span)) return null;
                if (IsInsideFunction(identifier, block)) return null;
                if (identifier.Parent is RefExpressionSyntax or ArgumentSyntax { RefKindKeyword.RawKind: not (int)SyntaxKind.None }) return null;
                if (identifier.SpanStart < loop.SpanStart && !StoresNonNull(model, reference, cancellationToken)) return null;
            }

            var builderName = FreeBuilderName(model, local, loop, block, reservedNames);

            // The name as written (@string stays @string), with elastic trivia so the formatter lays out the new statements.
            var localName = Identifier(TriviaList(ElasticMarker), SyntaxKind.IdentifierToken, declarator.Identifier.Text, declarator.Identifier.ValueText, TriviaList(ElasticMarker));
            return new Plan(local, localName, loop, insertionPoint, builderName, appends);
        }

        /// <summary>
        /// What an assignment to the local appends: the right side of <c>s += x</c>; the parts after
        /// s in <c>s = s + a + b</c>, <c>s = $"{s}..."</c> and <c>s = string.Concat(s, ...)</c>.
        /// Null for anything else (s not first, string.Format, a part with no equivalent Append).
        /// </summary>
        private static List<ExpressionSyntax>? AppendedArguments(SemanticModel model, IAssignmentOperation assignment, CancellationToken cancellationToken, out SyntaxNode? readOfLocal)
        {
            readOfLocal = null;
            var position = assignment.Syntax.SpanStart;
            switch (assignment)
            {
                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null } compound:
                    return ArgumentsForValue(model, compound.Value, position, cancellationToken);

                case ISimpleAssignmentOperation simple:
                    var value = StringConcatenation.WithoutImplicitConversions(simple.Value);
                    List<IOperation> parts;
                    switch (value)
                    {
                        case IBinaryOperation binary when StringConcatenation.IsConcatenation(binary):
                            parts = StringConcatenation.Operands(binary);
                            break;

                        case IInterpolatedStringOperation { Syntax: InterpolatedStringExpressionSyntax syntax } interpolated:
                            if (interpolated.Parts.Length < 2
                                || interpolated.Parts[0] is not IInterpolationOperation { Alignment: null, FormatString: null } first
                                || !StringConcatenation.IsSameVariable(first.Expression, simple.Target))
                            {
                                return null;
                            }

                            readOfLocal = first.Expression.Syntax;
                            return ArgumentsForInterpolation(model, syntax, interpolated.Parts.Skip(1).ToList(), skip: 1, position, cancellationToken);

                        case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Concat", ContainingType.SpecialType: SpecialType.System_String } } concat:
                            parts = StringConcatenation.ArgumentValues(concat).ToList();
                            break;

                        default:
                            return null;
                    }

                    if (parts.Count < 2 || !StringConcatenation.IsSameVariable(parts[0], simple.Target)) return null;
                    readOfLocal = StringConcatenation.WithoutImplicitConversions(parts[0]).Syntax;
                    return ArgumentsFor(model, parts.Skip(1), position, cancellationToken);

                default:
                    return null;
            }
        }

        /// <summary>The Append arguments for the right side of <c>s += value</c>.</summary>
        private static List<ExpressionSyntax>? ArgumentsForValue(SemanticModel model, IOperation value, int position, CancellationToken cancellationToken)
        {
            var unwrapped = StringConcatenation.WithoutImplicitConversions(value);
            if (StringConcatenation.IsConcatenation(unwrapped)) return ArgumentsFor(model, StringConcatenation.Operands((IBinaryOperation)unwrapped), position, cancellationToken);

            if (unwrapped is IInterpolatedStringOperation { Syntax: InterpolatedStringExpressionSyntax syntax } interpolated)
            {
                return ArgumentsForInterpolation(model, syntax, interpolated.Parts, skip: 0, position, cancellationToken);
            }

            return ArgumentsFor(model, new[] { value }, position, cancellationToken);
        }

        private static List<ExpressionSyntax>? ArgumentsFor(SemanticModel model, IEnumerable<IOperation> parts, int position, CancellationToken cancellationToken)
        {
            var arguments = new List<ExpressionSyntax>();
            foreach (var part in parts)
            {
                if (AppendChain.ArgumentFor(model, part, position, cancellationToken) is not { } argument) return null;
                arguments.Add(argument);
            }

            return arguments;
        }

        /// <summary>
        /// The interpolated string's parts after the first <paramref name="skip"/>: one interpolated
        /// Append where that binds to StringBuilder's interpolation handler (C# 10 and later on
        /// .NET 6+), which formats straight into the builder; otherwise an Append per part.
        /// </summary>
        private static List<ExpressionSyntax>? ArgumentsForInterpolation(
            SemanticModel model,
            InterpolatedStringExpressionSyntax syntax,
            IReadOnlyList<IInterpolatedStringContentOperation> parts,
            int skip,
            int position,
            CancellationToken cancellationToken)
        {
            var rest = syntax.WithContents(List(syntax.Contents.Skip(skip))).WithoutTrivia();
            if (parts.Any(p => p is IInterpolationOperation) && !syntax.StringStartToken.IsKind(SyntaxKind.InterpolatedMultiLineRawStringStartToken))
            {
                var bound = AppendChain.BindSpeculatively(model, position, "Append", leadingArguments: null, rest);
                if (bound?.Parameters[0].Type.Name == "AppendInterpolatedStringHandler") return new List<ExpressionSyntax> { rest };
            }

            return AppendChain.ArgumentsFor(model, parts, position, cancellationToken);
        }

        /// <summary>For a mention of the local before the loop: a read, or an assignment of a string that is never null.</summary>
        private static bool StoresNonNull(SemanticModel model, ILocalReferenceOperation reference, CancellationToken cancellationToken) =>
            reference.Parent switch
            {
                ICompoundAssignmentOperation compound when compound.Target == reference => true, // a concatenation is never null
                IAssignmentOperation assignment when assignment.Target == reference =>
                    assignment is ISimpleAssignmentOperation or ICoalesceAssignmentOperation
                    && assignment.Syntax is AssignmentExpressionSyntax { Right: var value }
                    && IsNeverNull(model, value, cancellationToken),
                ITupleOperation => false, // (s, t) = ...: a deconstruction may store null
                _ => true,
            };

        /// <summary>A string literal, string.Empty, a concatenation or interpolation, StringBuilder.ToString(), or what nullable analysis knows is not null.</summary>
        private static bool IsNeverNull(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
        {
            var operation = model.GetOperation(value, cancellationToken);
            if (operation is null) return false;

            operation = StringConcatenation.WithoutImplicitConversions(operation);
            if (operation.ConstantValue is { HasValue: true, Value: string }) return true;
            if (operation is IInterpolatedStringOperation || StringConcatenation.IsConcatenation(operation)) return true;
            if (operation is IFieldReferenceOperation { Field: { Name: "Empty", ContainingType.SpecialType: SpecialType.System_String } }) return true;
            if (operation is IInvocationOperation { TargetMethod: { Name: "ToString", ContainingType: { Name: "StringBuilder", ContainingNamespace.Name: "Text" } } }) return true; // what an earlier fix assigned

            return model.GetTypeInfo(value, cancellationToken).Nullability.FlowState == NullableFlowState.NotNull;
        }

        private static bool IsInsideFunction(SyntaxNode node, SyntaxNode boundary) =>
            node.Ancestors().TakeWhile(a => a != boundary).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);

        /// <summary><c>{name}Builder</c>, numbered if the member already uses that name or another fix in this pass took it.</summary>
        private static string FreeBuilderName(SemanticModel model, ILocalSymbol local, StatementSyntax loop, SyntaxNode block, ISet<string> reservedNames)
        {
            // Top-level statements share one scope: all of them, not the loop's GlobalStatement alone.
            var member = block is CompilationUnitSyntax ? block : loop.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)loop;
            var taken = new HashSet<string>(
                member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText)
                    .Concat(model.LookupSymbols(loop.SpanStart).Select(s => s.Name))
                    .Concat(reservedNames));

            var baseName = local.Name + "Builder";
            var name = baseName;
            for (var i = 2; taken.Contains(name); i++) name = baseName + i;
            return name;
        }
    }
}
