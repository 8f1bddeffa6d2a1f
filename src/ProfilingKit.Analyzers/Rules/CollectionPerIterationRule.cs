using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1007: a collection or array created on every iteration of a loop, held in a local declared in
/// the loop body, that is dead at the end of the iteration. One instance created before the loop and
/// cleared would do. Collections that leave the iteration (stored, returned, yielded, captured,
/// passed to a method) are the loop's output and are not reported.
/// </summary>
internal sealed class CollectionPerIterationRule : HotMemberRule
{
    /// <summary>Diagnostic property: "true" when the creation is an array (no Clear-based fix).</summary>
    internal const string IsArrayProperty = "IsArray";

    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.CollectionPerIteration,
        "Collection created on every iteration",
        "'{0}' is allocated on every iteration and never outlives it; {1}",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "A collection or array created inside a loop body and dropped at the end of the iteration is garbage on every pass. Create it once before the loop and Clear() it where it was created, or, for an array, allocate it once (or rent it from ArrayPool<T>).");

    private const string CollectionAdvice = "create it once before the loop and Clear() it instead";
    private const string ArrayAdvice = "allocate it once before the loop, or rent it from ArrayPool<T>";

    private static readonly string[] CollectionTypeNames =
    {
        "System.Collections.Generic.List`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.Stack`1",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.LinkedList`1",
        "System.Collections.Generic.PriorityQueue`2",
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.Loops;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.ObjectCreation, OperationKind.ArrayCreation, OperationKind.CollectionExpression);

    public override Action<OperationAnalysisContext> Start(Compilation compilation)
    {
        var analysis = CompilationLookups.OnFirstUse(compilation, Analysis.Create);
        return operation => analysis.Value?.AnalyzeCreation(operation);
    }

    private sealed class Analysis
    {
        /// <summary>Null when the compilation has none of the collection types.</summary>
        public static Analysis? Create(Compilation compilation)
        {
            var collections = ImmutableHashSet.CreateBuilder<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var name in CollectionTypeNames)
            {
                if (compilation.GetTypeByMetadataName(name) is { } type) collections.Add(type);
            }

            return collections.Count == 0 ? null : new Analysis(collections.ToImmutable(), new IterationEscape(compilation));
        }

        private readonly ImmutableHashSet<INamedTypeSymbol> _collections;
        private readonly IterationEscape _escape;

        public Analysis(ImmutableHashSet<INamedTypeSymbol> collections, IterationEscape escape)
        {
            _collections = collections;
            _escape = escape;
        }

        public void AnalyzeCreation(OperationAnalysisContext context)
        {
            var creation = context.Operation;
            if (creation.Type is not { } type || !Allocates(creation, type)) return;

            // Cheap checks first: most creations are not initializers of a local inside a loop.
            if (creation.Parent is not (IVariableInitializerOperation or IConversionOperation)) return;
            if (HotPlaces.EnclosingLoop(creation, context.ContainingSymbol, context.Options) is not { } loop) return;
            if (_escape.ContainedLoopLocal(creation, loop) is null) return;

            var isArray = type.TypeKind == TypeKind.Array;
            var properties = ImmutableDictionary<string, string?>.Empty.Add(IsArrayProperty, isArray ? "true" : "false");
            context.ReportDiagnostic(HotPlaceReporter.Create(
                Descriptor,
                creation.Syntax.GetLocation(),
                HotPlaces.MeasuredHotSpot(creation, context.Options) is not null,
                properties,
                type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                isArray ? ArrayAdvice : CollectionAdvice));
        }

        /// <summary>
        /// Whether the creation allocates a collection object. Collection expressions follow what the
        /// compiler emits: [] for an array or IEnumerable&lt;T&gt;/IReadOnlyCollection&lt;T&gt;/IReadOnlyList&lt;T&gt;
        /// is Array.Empty&lt;T&gt;(), and a span target is built on the stack; neither allocates. IList&lt;T&gt;
        /// and ICollection&lt;T&gt; targets get a List&lt;T&gt;, even for [].
        /// </summary>
        private bool Allocates(IOperation creation, ITypeSymbol type)
        {
            switch (creation)
            {
                case IArrayCreationOperation:
                    return true;
                case IObjectCreationOperation:
                    return IsKnownCollection(type);
                case ICollectionExpressionOperation collectionExpression:
                    switch (type.OriginalDefinition.SpecialType)
                    {
                        case SpecialType.System_Collections_Generic_IList_T:
                        case SpecialType.System_Collections_Generic_ICollection_T:
                            return true; // a List<T>, even when empty
                        case SpecialType.System_Collections_Generic_IEnumerable_T:
                        case SpecialType.System_Collections_Generic_IReadOnlyCollection_T:
                        case SpecialType.System_Collections_Generic_IReadOnlyList_T:
                            return !collectionExpression.Elements.IsEmpty;
                    }

                    if (type is IArrayTypeSymbol) return !collectionExpression.Elements.IsEmpty;
                    return IsKnownCollection(type);
                default:
                    return false;
            }
        }

        private bool IsKnownCollection(ITypeSymbol type) =>
            type is INamedTypeSymbol { IsGenericType: true } named && _collections.Contains(named.OriginalDefinition);
    }
}
