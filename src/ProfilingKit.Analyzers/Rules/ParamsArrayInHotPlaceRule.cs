using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1006: a call in a hot place whose params arguments are gathered into a new array (or, with C#
/// 13 params collections, a new heap collection) on every call. Calls with no params arguments get
/// Array.Empty from the compiler, and calls that bind to a params Span/ReadOnlySpan overload build
/// the span on the stack: neither allocates, neither is reported.
/// </summary>
internal sealed class ParamsArrayInHotPlaceRule : HotMemberRule
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.ParamsArrayInHotPlace,
        "A params array is allocated on every call",
        "The call to '{0}' allocates a new '{1}' for its params arguments {2}",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "Passing arguments to a params T[] parameter makes the compiler allocate an array for them on every call. In a loop or a [HotPath] member that is an allocation per pass. Calls that bind to a params ReadOnlySpan<T> overload (C# 13 and later) do not allocate.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.LoopsAndHotPathMembers;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.Argument);

    public override Action<OperationAnalysisContext> Start(Compilation compilation)
    {
        var analysis = CompilationLookups.OnFirstUse(compilation, Analysis.Create);
        return operation => analysis.Value.AnalyzeArgument(operation);
    }

    private sealed class Analysis(INamedTypeSymbol? span, INamedTypeSymbol? readOnlySpan, INamedTypeSymbol? collectionBuilder)
    {
        /// <summary>Params collections (C# 13) of span type are built on the stack: the span types, resolved once.</summary>
        public static Analysis Create(Compilation compilation) => new(
            compilation.GetTypeByMetadataName("System.Span`1"),
            compilation.GetTypeByMetadataName("System.ReadOnlySpan`1"),
            compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.CollectionBuilderAttribute"));

        public void AnalyzeArgument(OperationAnalysisContext context)
        {
            var argument = (IArgumentOperation)context.Operation;
            var elements = argument.ArgumentKind switch
            {
                ArgumentKind.ParamArray => ParamArrayElements(argument),
                ArgumentKind.ParamCollection => ParamCollectionElements(argument),
                _ => default,
            };
            if (elements.IsDefault) return;

            var place = HotPlaces.Classify(argument, context.ContainingSymbol, context.Options);
            if (!place.IsHot && !HotPlaceReporter.ReportsOutsideHotPlaces(context.Options, argument.Syntax.SyntaxTree)) return;
            if (!AllocationSites.AllocatesAsWritten(argument)) return;

            var method = argument.Parent switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                IPropertyReferenceOperation property => property.Property.GetMethod ?? property.Property.SetMethod,
                _ => argument.Parameter?.ContainingSymbol as IMethodSymbol,
            };
            var name = method is null ? "?" : MethodName(method);
            var collectionType = argument.Value.Type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "array";

            var location = ElementsLocation(argument, elements);
            var diagnostic = HotPlaceReporter.CreateDiagnostic(argument, context.Options, Descriptor, location, place, [name, collectionType]);
            if (diagnostic is not null) context.ReportDiagnostic(diagnostic);
        }

        /// <summary>The elements of the array the compiler builds for a params T[] argument; default when it builds none.</summary>
        private static ImmutableArray<IOperation> ParamArrayElements(IArgumentOperation argument)
        {
            // Expanded form only: the compiler's own array is implicit. With no elements it passes
            // Array.Empty<T>() (verified in the emitted IL), which allocates nothing.
            if (argument.Value is not IArrayCreationOperation { IsImplicit: true, Initializer: { } initializer }) return default;
            return initializer.ElementValues.IsEmpty ? default : initializer.ElementValues;
        }

        /// <summary>The elements of a C# 13 params collection that lives on the heap; default for spans and empty collections.</summary>
        private ImmutableArray<IOperation> ParamCollectionElements(IArgumentOperation argument)
        {
            if (argument.Value is not ICollectionExpressionOperation { IsImplicit: true } collection) return default;
            if (collection.Elements.IsEmpty) return default; // interfaces get Array.Empty; see the rule page for List<T>
            if (argument.Value.Type is not INamedTypeSymbol type) return default;

            var definition = type.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(definition, span) || SymbolEqualityComparer.Default.Equals(definition, readOnlySpan)) return default;

            // A struct collection type may keep its elements inline; only reference types are sure to allocate.
            if (type.IsValueType && !HasCollectionBuilder(type)) return default;
            return collection.Elements;
        }

        private bool HasCollectionBuilder(INamedTypeSymbol type)
        {
            if (collectionBuilder is null) return false;
            foreach (var attribute in type.OriginalDefinition.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, collectionBuilder)) return true;
            }

            return false;
        }
    }

    /// <summary>The span from the first params element to the last: the arguments that end up in the array.</summary>
    private static Location ElementsLocation(IArgumentOperation argument, ImmutableArray<IOperation> elements)
    {
        var first = elements[0].Syntax;
        var last = elements[elements.Length - 1].Syntax;
        if (first.SyntaxTree != argument.Syntax.SyntaxTree || last.SpanStart < first.SpanStart) return argument.Syntax.GetLocation();
        return Location.Create(first.SyntaxTree, TextSpan.FromBounds(first.SpanStart, last.Span.End));
    }

    private static string MethodName(IMethodSymbol method) =>
        method.MethodKind == MethodKind.Constructor
            ? method.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + " constructor"
            : method.ContainingType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) + "." + method.Name;
}
