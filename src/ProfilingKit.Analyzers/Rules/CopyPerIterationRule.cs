using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1008: a copy made on every iteration of a loop that the iteration throws away.
/// <list type="bullet">
/// <item>ToList()/ToArray() (LINQ, or a collection's own ToArray) in a loop condition (evaluated per iteration), or in the body when the copy does not outlive the iteration.</item>
/// <item>Substring whose result is only handed to a method that has a ReadOnlySpan&lt;char&gt; overload, or compared with a constant: AsSpan does the job.</item>
/// <item>Split whose array does not outlive the iteration, where MemoryExtensions.Split exists.</item>
/// </list>
/// </summary>
internal sealed class CopyPerIterationRule : HotMemberRule
{
    /// <summary>Diagnostic property naming the code fix that applies, if any.</summary>
    internal const string FixProperty = "Fix";

    /// <summary><c>M(s.Substring(i, n))</c> → <c>M(s.AsSpan(i, n))</c>.</summary>
    internal const string AsSpanArgumentFix = "AsSpanArgument";

    /// <summary><c>s.Substring(i, n) == "x"</c> → <c>s.AsSpan(i, n).SequenceEqual("x")</c>.</summary>
    internal const string AsSpanComparisonFix = "AsSpanComparison";

    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.CopyPerIteration,
        "Copy made on every iteration",
        "'{0}' {1}",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "ToList()/ToArray() in a loop condition copies the sequence on every test; in a loop body a copy that is dropped at the end of the iteration is garbage on every pass. Substring and Split allocate new strings (and an array) where a span over the original string does the same job without allocating.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.Loops;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.Invocation);

    public override Action<OperationAnalysisContext> Start(Compilation compilation)
    {
        var analysis = CompilationLookups.OnFirstUse(compilation, Analysis.Create);
        return operation => analysis.Value?.AnalyzeInvocation(operation);
    }

    private sealed class Analysis
    {
        /// <summary>Null with no LINQ and no spans: nothing to suggest.</summary>
        public static Analysis? Create(Compilation compilation)
        {
            var enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
            var memoryExtensions = compilation.GetTypeByMetadataName("System.MemoryExtensions");
            if (enumerable is null && memoryExtensions is null) return null;

            return new Analysis(
                enumerable,
                compilation.GetTypeByMetadataName("System.Linq.IQueryable"),
                compilation.GetTypeByMetadataName("System.Text.StringBuilder"),
                compilation.GetTypeByMetadataName("System.ReadOnlySpan`1"),
                hasSpanSubstring: memoryExtensions is not null && !memoryExtensions.GetMembers("AsSpan").IsEmpty,
                hasSpanSplit: memoryExtensions is not null && !memoryExtensions.GetMembers("Split").IsEmpty,
                new IterationEscape(compilation));
        }

        private readonly INamedTypeSymbol? _enumerable;
        private readonly INamedTypeSymbol? _queryable;
        private readonly INamedTypeSymbol? _stringBuilder;
        private readonly INamedTypeSymbol? _readOnlySpan;
        private readonly bool _hasSpanSubstring;
        private readonly bool _hasSpanSplit;
        private readonly IterationEscape _escape;

        public Analysis(
            INamedTypeSymbol? enumerable,
            INamedTypeSymbol? queryable,
            INamedTypeSymbol? stringBuilder,
            INamedTypeSymbol? readOnlySpan,
            bool hasSpanSubstring,
            bool hasSpanSplit,
            IterationEscape escape)
        {
            _enumerable = enumerable;
            _queryable = queryable;
            _stringBuilder = stringBuilder;
            _readOnlySpan = readOnlySpan;
            _hasSpanSubstring = hasSpanSubstring && readOnlySpan is not null;
            _hasSpanSplit = hasSpanSplit;
            _escape = escape;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "ToList" or "ToArray" when IsSequenceCopy(invocation):
                    AnalyzeCopy(context, invocation);
                    break;
                case "Substring" when _hasSpanSubstring && method.ContainingType.SpecialType == SpecialType.System_String:
                    AnalyzeSubstring(context, invocation);
                    break;
                case "Split" when _hasSpanSplit && method.ContainingType.SpecialType == SpecialType.System_String:
                    AnalyzeSplit(context, invocation);
                    break;
            }
        }

        private bool IsSequenceCopy(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (_enumerable is not null && EnumerableCalls.IsEnumerableExtensionCall(invocation, _enumerable))
            {
                // A query provider's ToList runs the query; that is not a copy of something in memory.
                return EnumerableCalls.SourceValue(invocation)?.Type is not { } sourceType || !IsQueryable(sourceType);
            }

            // List<T>.ToArray(), Queue<T>.ToArray(), ConcurrentBag<T>.ToArray()...: a collection's own copy.
            return method.Name == "ToArray" && !method.IsStatic && method.Parameters.IsEmpty
                && method.ReturnType is IArrayTypeSymbol
                && IsInSystemCollections(method.ContainingType.ContainingNamespace);
        }

        private void AnalyzeCopy(OperationAnalysisContext context, IInvocationOperation invocation)
        {
            if (HotPlaces.EnclosingLoop(invocation, context.ContainingSymbol, context.Options) is not { } loop) return;

            var name = invocation.TargetMethod.Name + "()";
            var copied = WhatIsCopied(invocation);
            if (IsInLoopCondition(invocation, loop))
            {
                Report(context, invocation, null, name, $"copies {copied} every time the loop condition is tested; take the copy once before the loop, or test the source directly (Count, Any)");
                return;
            }

            if (!_escape.StaysInIteration(invocation, loop)) return; // the copy is the iteration's output

            Report(context, invocation, null, name, $"copies {copied} on every iteration and the copy is dropped at the end of it; copy once before the loop, reuse a buffer, or use the source directly");
        }

        /// <summary>
        /// "the whole sequence" for a copy of a collection; for a copy at the end of a query, what the
        /// query yields (<c>Skip(i).Take(50).ToList()</c> copies 50 elements, not the sequence).
        /// </summary>
        private string WhatIsCopied(IInvocationOperation copy)
        {
            if (_enumerable is null) return "the whole sequence";

            var operators = new List<string>();
            for (var source = EnumerableCalls.SourceValue(copy) as IInvocationOperation;
                 source is not null && EnumerableCalls.IsEnumerableExtensionCall(source, _enumerable);
                 source = EnumerableCalls.SourceValue(source) as IInvocationOperation)
            {
                operators.Add(source.TargetMethod.Name + "()");
            }

            if (operators.Count == 0) return "the whole sequence";
            operators.Reverse();
            return $"what '{string.Join(".", operators)}' yields";
        }

        private void AnalyzeSubstring(OperationAnalysisContext context, IInvocationOperation substring)
        {
            if (substring.Instance is null or IConditionalAccessInstanceOperation) return;
            if (substring.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax }) return;
            if (HotPlaces.EnclosingLoop(substring, context.ContainingSymbol, context.Options) is null) return;

            switch (substring.Parent)
            {
                case IArgumentOperation { Parameter: { RefKind: RefKind.None } parameter, ArgumentKind: ArgumentKind.Explicit, Parent: IInvocationOperation call }
                    when parameter.Type.SpecialType == SpecialType.System_String && !IsStringBuilderAppendOrInsert(call.TargetMethod):
                    if (!BindsToSpanOverload(call, substring, context.Operation.SemanticModel, context.CancellationToken)) return;
                    Report(context, substring, AsSpanArgumentFix, "Substring", $"allocates a new string on every iteration, and '{call.TargetMethod.Name}' also takes a ReadOnlySpan<char>; pass AsSpan(...) instead");
                    return;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                    when IsNonNullStringConstant(comparison.LeftOperand == substring ? comparison.RightOperand : comparison.LeftOperand)
                        && comparison.LeftOperand.Type?.SpecialType == SpecialType.System_String
                        && comparison.RightOperand.Type?.SpecialType == SpecialType.System_String:
                    Report(context, substring, AsSpanComparisonFix, "Substring", "allocates a new string on every iteration only to compare it; compare AsSpan(...) with SequenceEqual instead");
                    return;
            }
        }

        private void AnalyzeSplit(OperationAnalysisContext context, IInvocationOperation split)
        {
            if (split.Instance is null or IConditionalAccessInstanceOperation) return;
            if (HotPlaces.EnclosingLoop(split, context.ContainingSymbol, context.Options) is not { } loop) return;
            if (!_escape.StaysInIteration(split, loop)) return; // the parts are the iteration's output

            Report(context, split, null, "Split", "allocates an array and a string per part on every iteration; split a span instead (MemoryExtensions.Split into a Span<Range>, or IndexOf)");
        }

        /// <summary>
        /// Binds the call again with the Substring replaced by AsSpan, as the compiler would: the fix is
        /// offered only when that picks an overload of the same method, taking ReadOnlySpan&lt;char&gt; there
        /// and returning the same type, so the surrounding code means the same.
        /// </summary>
        private bool BindsToSpanOverload(IInvocationOperation call, IInvocationOperation substring, SemanticModel? model, System.Threading.CancellationToken cancellationToken)
        {
            if (model is null || call.Syntax is not InvocationExpressionSyntax callSyntax) return false;
            var substringSyntax = (InvocationExpressionSyntax)substring.Syntax;
            if (substringSyntax.Parent is not ArgumentSyntax argument || argument.Parent != callSyntax.ArgumentList) return false;

            var receiver = ((MemberAccessExpressionSyntax)substringSyntax.Expression).Expression;
            var asSpan = SyntaxFactory.InvocationExpression(
                SyntaxFactory.ParseExpression("global::System.MemoryExtensions.AsSpan"),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(receiver.WithoutTrivia()))
                    .AddRange(substringSyntax.ArgumentList.Arguments)));
            var speculative = callSyntax.ReplaceNode(substringSyntax, asSpan);

            cancellationToken.ThrowIfCancellationRequested();
            if (model.GetSpeculativeSymbolInfo(callSyntax.SpanStart, speculative, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol overload) return false;

            var original = call.TargetMethod;
            if (overload.Name != original.Name
                || !SymbolEqualityComparer.Default.Equals(overload.ContainingType, original.ContainingType)
                || !SymbolEqualityComparer.Default.Equals(overload.ReturnType, original.ReturnType))
            {
                return false;
            }

            var parameter = ParameterFor(overload, callSyntax.ArgumentList, argument);
            return parameter?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } spanType
                && SymbolEqualityComparer.Default.Equals(spanType.OriginalDefinition, _readOnlySpan)
                && spanType.TypeArguments[0].SpecialType == SpecialType.System_Char;
        }

        private static IParameterSymbol? ParameterFor(IMethodSymbol method, ArgumentListSyntax arguments, ArgumentSyntax argument)
        {
            if (argument.NameColon is { } nameColon)
            {
                foreach (var parameter in method.Parameters)
                {
                    if (parameter.Name == nameColon.Name.Identifier.ValueText) return parameter;
                }

                return null;
            }

            var index = arguments.Arguments.IndexOf(argument);
            if (method.Parameters.IsEmpty) return null;
            return index < method.Parameters.Length ? method.Parameters[index] : method.Parameters[method.Parameters.Length - 1];
        }

        /// <summary>System.Collections and the namespaces under it (Generic, Concurrent, Immutable...).</summary>
        private static bool IsInSystemCollections(INamespaceSymbol? ns)
        {
            for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
            {
                if (ns.Name == "Collections" && ns.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }) return true;
            }

            return false;
        }

        private bool IsStringBuilderAppendOrInsert(IMethodSymbol method) =>
            method.Name is "Append" or "Insert"
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, _stringBuilder); // PK1002 owns these

        private static bool IsNonNullStringConstant(IOperation operation) =>
            operation.ConstantValue is { HasValue: true, Value: string };

        private bool IsQueryable(ITypeSymbol type)
        {
            if (_queryable is null) return false;
            if (SymbolEqualityComparer.Default.Equals(type, _queryable)) return true;
            foreach (var implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented, _queryable)) return true;
            }

            return false;
        }

        private static bool IsInLoopCondition(IOperation operation, ILoopOperation loop)
        {
            var child = operation;
            for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                if (parent == loop)
                {
                    return loop switch
                    {
                        IWhileLoopOperation whileLoop => whileLoop.Condition == child,
                        IForLoopOperation forLoop => forLoop.Condition == child,
                        _ => false,
                    };
                }
            }

            return false;
        }

        private static void Report(OperationAnalysisContext context, IInvocationOperation invocation, string? fix, string name, string explanation)
        {
            var properties = fix is null
                ? ImmutableDictionary<string, string?>.Empty
                : ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix);
            context.ReportDiagnostic(HotPlaceReporter.Create(Descriptor, invocation.Syntax.GetLocation(), HotPlaces.MeasuredHotSpot(invocation, context.Options) is not null, properties, name, explanation));
        }
    }
}
