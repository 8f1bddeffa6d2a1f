using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1005: a LINQ-to-objects query (System.Linq.Enumerable) in a hot place. Each pass allocates the
/// iterators of the lazy operators, a boxed enumerator over the source and, for ToList/ToArray, a
/// copy. Reported once per query chain, at the outermost call. Single reducing calls that the
/// runtime answers without enumerating (list.Count(), array.Sum(), set.Contains(x)...) are not
/// reported: they allocate nothing.
/// </summary>
internal sealed class LinqInHotPlaceRule : HotMemberRule
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.LinqInHotPlace,
        "LINQ allocates on every pass",
        "LINQ query '{0}' allocates iterators, an enumerator or a copy on every pass {1}; write the loop out over the concrete collection",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "A LINQ-to-objects query allocates on every evaluation: one iterator object per lazy operator (Where, Select, OrderBy...), an enumerator boxed behind IEnumerator<T> when the source is enumerated, and a new collection for ToList/ToArray. In a loop or a [HotPath] member that is garbage on every pass.");

    // Reducing calls that never enumerate a source implementing ICollection<T> or IList<T>, in every
    // System.Linq since .NET Framework 3.5: they call Count, Contains or the indexer.
    private static readonly ImmutableHashSet<string> CollectionCountOrContains = ImmutableHashSet.Create("Count", "Contains");
    private static readonly ImmutableHashSet<string> ListIndexing = ImmutableHashSet.Create(
        "First", "FirstOrDefault", "Last", "LastOrDefault", "ElementAt", "ElementAtOrDefault");

    // Reducing calls that System.Linq 10 runs over the span of an array or List<T> (measured: 0 bytes
    // per call on .NET 10), with or without a predicate.
    private static readonly ImmutableHashSet<string> SpanReductions = ImmutableHashSet.Create(
        "Any", "All", "Count", "Contains", "TryGetNonEnumeratedCount", "Aggregate",
        "First", "FirstOrDefault", "Last", "LastOrDefault", "Single", "SingleOrDefault", "ElementAt", "ElementAtOrDefault");

    // Sum, Min, Max, Average without a selector, over these element types (vectorized span paths).
    private static readonly ImmutableHashSet<string> NumericReductions = ImmutableHashSet.Create("Sum", "Min", "Max", "Average");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.LoopsAndHotPathMembers;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.Invocation);

    public override Action<OperationAnalysisContext> Start(Compilation compilation)
    {
        var types = CompilationLookups.OnFirstUse(compilation, KnownTypes.Create);
        return operationContext =>
        {
            if (types.Value is { } known) AnalyzeInvocation(operationContext, known);
        };
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes types)
    {
        var outermost = (IInvocationOperation)context.Operation;
        if (!EnumerableCalls.IsEnumerableExtensionCall(outermost, types.Enumerable)) return;
        if (IsSourceOfAnotherLinqCall(outermost, types.Enumerable)) return; // the chain is reported at its outermost call

        // Where the query runs decides first: most LINQ is in cold code, and there the rule is silent.
        var place = HotPlaces.Classify(outermost, context.ContainingSymbol, context.Options);
        var tree = outermost.Syntax.SyntaxTree;
        if (!place.IsHot && !HotPlaceReporter.ReportsOutsideHotPlaces(context.Options, tree)) return;

        // ToList()/ToArray() ending a chain in a loop is PK1008's: a copy per iteration.
        if (place.Kind == HotPlaceKind.Loop && outermost.TargetMethod.Name is "ToList" or "ToArray") return;

        var operators = new List<string>();
        var allocates = false;
        for (IInvocationOperation? call = outermost; call is not null;)
        {
            operators.Add(call.TargetMethod.Name);
            var source = EnumerableCalls.SourceValue(call);
            if (source?.Type is { } sourceType && IsQueryable(sourceType, types.Queryable)) return; // a query provider's, not LINQ to objects

            allocates |= Allocates(call, source, types);
            call = source is IInvocationOperation inner && EnumerableCalls.IsEnumerableExtensionCall(inner, types.Enumerable) ? inner : null;
        }

        if (!allocates || IsInExpressionTree(outermost, types.Expression)) return;

        operators.Reverse();
        var location = outermost.Parent is ITranslatedQueryOperation query ? query.Syntax.GetLocation() : outermost.Syntax.GetLocation();
        var chain = string.Join(".", operators.ConvertAll(name => name + "()"));
        var diagnostic = HotPlaceReporter.CreateDiagnostic(outermost, context.Options, Descriptor, location, place, new object[] { chain });
        if (diagnostic is not null) context.ReportDiagnostic(diagnostic);
    }

    /// <summary>True when this call is the source of a further Enumerable call: <c>xs.Where(p)</c> in <c>xs.Where(p).Sum()</c>.</summary>
    private static bool IsSourceOfAnotherLinqCall(IInvocationOperation invocation, INamedTypeSymbol enumerable)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or ITranslatedQueryOperation) parent = parent.Parent;

        return parent is IArgumentOperation { Parameter.Ordinal: 0, Parent: IInvocationOperation outer }
            && EnumerableCalls.IsEnumerableExtensionCall(outer, enumerable);
    }

    private static bool Allocates(IInvocationOperation call, IOperation? source, KnownTypes types)
    {
        var method = call.TargetMethod;
        if (method.Name == "AsEnumerable") return false; // returns its source
        if (EnumerableCalls.IsMaterializer(method) || EnumerableCalls.ReturnsLazySequence(method)) return true;

        // A reducing call (Count, Any, First, Sum...): it allocates an enumerator unless the runtime
        // takes a fast path for the source's type. AsEnumerable() hands the source on unchanged.
        while (source is IInvocationOperation { TargetMethod.Name: "AsEnumerable" } asEnumerable && EnumerableCalls.IsEnumerableExtensionCall(asEnumerable, types.Enumerable))
        {
            source = EnumerableCalls.SourceValue(asEnumerable);
        }

        var sourceType = source?.Type;
        if (sourceType is null) return true;

        var parameterCount = method.Parameters.Length;
        if (CollectionCountOrContains.Contains(method.Name) && parameterCount == (method.Name == "Count" ? 1 : 2) && Implements(sourceType, types.ICollectionOfT)) return false;
        if (method.Name == "Any" && parameterCount == 1 && types.SpanFastPaths && Implements(sourceType, types.ICollectionOfT)) return false;
        if (ListIndexing.Contains(method.Name) && parameterCount <= 2 && !HasDelegateParameter(method) && Implements(sourceType, types.IListOfT)) return false;

        if (!types.SpanFastPaths || !IsArrayOrList(sourceType, types.ListOfT)) return true;
        if (SpanReductions.Contains(method.Name)) return false;
        return !(NumericReductions.Contains(method.Name) && parameterCount == 1 && IsVectorizableElement(method.Parameters[0].Type));
    }

    private static bool HasDelegateParameter(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.TypeKind == TypeKind.Delegate) return true;
        }

        return false;
    }

    private static bool IsVectorizableElement(ITypeSymbol sourceParameterType) =>
        sourceParameterType is INamedTypeSymbol { TypeArguments.Length: 1 } sequence
        && sequence.TypeArguments[0].SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Decimal;

    private static bool IsArrayOrList(ITypeSymbol type, INamedTypeSymbol? list) =>
        type is IArrayTypeSymbol { IsSZArray: true }
        || (list is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, list));

    private static bool Implements(ITypeSymbol type, INamedTypeSymbol? genericInterface)
    {
        if (genericInterface is null) return false;
        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, genericInterface)) return true;
        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, genericInterface)) return true;
        }

        return false;
    }

    private static bool IsQueryable(ITypeSymbol type, INamedTypeSymbol? queryable)
    {
        if (queryable is null) return false;
        if (SymbolEqualityComparer.Default.Equals(type, queryable)) return true;
        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, queryable)) return true;
        }

        return false;
    }

    /// <summary>Inside a lambda converted to Expression&lt;T&gt;: a query provider translates it, nothing runs as LINQ to objects.</summary>
    private static bool IsInExpressionTree(IOperation operation, INamedTypeSymbol? expression)
    {
        if (expression is null) return false;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation { Parent: IConversionOperation { Type: { } target } }
                && SymbolEqualityComparer.Default.Equals(target.OriginalDefinition, expression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The span fast paths were measured on System.Linq 10 (.NET 10). Older frameworks (netstandard,
    /// .NET Framework, .NET 8/9) get the conservative answer: reported.
    /// </summary>
    private static bool HasSpanFastPaths(INamedTypeSymbol enumerable)
    {
        var identity = enumerable.ContainingAssembly.Identity;
        return identity.Name == "System.Linq" && identity.Version.Major >= 10;
    }

    private sealed class KnownTypes
    {
        /// <summary>Null without System.Linq: nothing to report.</summary>
        public static KnownTypes? Create(Compilation compilation)
        {
            var enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
            if (enumerable is null) return null;

            return new KnownTypes(
                enumerable,
                compilation.GetTypeByMetadataName("System.Linq.IQueryable"),
                compilation.GetTypeByMetadataName("System.Linq.Expressions.Expression`1"),
                compilation.GetTypeByMetadataName("System.Collections.Generic.List`1"),
                compilation.GetTypeByMetadataName("System.Collections.Generic.ICollection`1"),
                compilation.GetTypeByMetadataName("System.Collections.Generic.IList`1"),
                HasSpanFastPaths(enumerable));
        }

        public KnownTypes(
            INamedTypeSymbol enumerable,
            INamedTypeSymbol? queryable,
            INamedTypeSymbol? expression,
            INamedTypeSymbol? listOfT,
            INamedTypeSymbol? collectionOfT,
            INamedTypeSymbol? iListOfT,
            bool spanFastPaths)
        {
            Enumerable = enumerable;
            Queryable = queryable;
            Expression = expression;
            ListOfT = listOfT;
            ICollectionOfT = collectionOfT;
            IListOfT = iListOfT;
            SpanFastPaths = spanFastPaths;
        }

        public INamedTypeSymbol Enumerable { get; }

        public INamedTypeSymbol? Queryable { get; }

        /// <summary>Expression&lt;TDelegate&gt;.</summary>
        public INamedTypeSymbol? Expression { get; }

        public INamedTypeSymbol? ListOfT { get; }

        public INamedTypeSymbol? ICollectionOfT { get; }

        public INamedTypeSymbol? IListOfT { get; }

        /// <summary>System.Linq runs reducing calls over the span of an array or List&lt;T&gt;.</summary>
        public bool SpanFastPaths { get; }
    }
}
