using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1009: foreach over a collection typed as an interface in a hot place. The enumerator comes
/// from IEnumerable&lt;T&gt;.GetEnumerator() and is boxed on the heap, where the concrete collection's
/// struct enumerator (List&lt;T&gt;, arrays, Dictionary...) would not allocate.
/// </summary>
internal sealed class InterfaceEnumerationInHotPlaceRule : HotMemberRule
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.InterfaceEnumerationInHotPlace,
        "foreach over an interface allocates an enumerator",
        "foreach over '{0}' allocates an enumerator on each pass {1}; enumerate the concrete collection type to use its struct enumerator",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "A foreach over a collection typed as an interface (IEnumerable<T>, IList<T>, ICollection<T>, IReadOnlyList<T>...) calls the interface's GetEnumerator, which returns a heap-allocated enumerator. The concrete type's own GetEnumerator often returns a struct that does not allocate.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.LoopsAndHotPathMembers;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.Loop);

    public override Action<OperationAnalysisContext> Start(Compilation compilation) => AnalyzeForEach;

    private static void AnalyzeForEach(OperationAnalysisContext context)
    {
        if (context.Operation is not IForEachLoopOperation { IsAsynchronous: false } loop) return;

        var collectionType = CollectionType(loop.Collection);
        if (collectionType is not { TypeKind: TypeKind.Interface }) return;

        // The advice is to enumerate the concrete type: only where the code chooses the collection's
        // type. Not for what a call returns (an iterator method, LINQ, an API), an IGrouping, or a
        // property or field that is part of an API; a LINQ query is PK1005's report anyway.
        if (!CodeChoosesType(Unconverted(loop.Collection), collectionType)) return;

        // The foreach itself runs in a hot place when it sits in a loop or a [HotPath] member: the
        // enumerator is allocated once per pass of the foreach, not once per element.
        HotPlaceReporter.Report(context, Descriptor, loop.Collection.Syntax.GetLocation(), collectionType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
    }

    /// <summary>
    /// A local or parameter, an element of a collection whose element type the code wrote (an
    /// indexer), or a private field or property declared in this code: its declared type could be the
    /// concrete one.
    /// </summary>
    private static bool CodeChoosesType(IOperation collection, ITypeSymbol collectionType)
    {
        if (collectionType.OriginalDefinition is { Name: "IGrouping", ContainingNamespace.Name: "Linq" }) return false;

        return collection switch
        {
            ILocalReferenceOperation local => HoldsOnlyConcreteValues(local),
            IParameterReferenceOperation => true,
            IPropertyReferenceOperation { Property: { IsIndexer: true } indexer } => IsElementTheCodeTyped(indexer),
            IPropertyReferenceOperation property => IsPrivateInSource(property.Property),
            IFieldReferenceOperation field => IsPrivateInSource(field.Field),
            _ => false,
        };
    }

    /// <summary>
    /// A local typed as an interface is the code's choice only when what it holds has a concrete type
    /// (an array, a List&lt;T&gt;, GetInterfaces()' Type[]...): every value stored in it, as written; or
    /// when it is a foreach's variable, an element of a collection the code typed. A
    /// local that holds what a method returns as an interface (an iterator's result) has no concrete
    /// type to enumerate.
    /// </summary>
    private static bool HoldsOnlyConcreteValues(ILocalReferenceOperation reference)
    {
        // A foreach's variable is an element of a collection whose type the code chose, like rows[i].
        foreach (var declaration in reference.Local.DeclaringSyntaxReferences)
        {
            if (declaration.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.ForEachStatementSyntax) return true;
        }

        var root = WallClockReads.Root(reference);
        var values = 0;
        foreach (var operation in root.Descendants())
        {
            IOperation? value = operation switch
            {
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local) => declarator.Initializer?.Value,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, reference.Local) => assignment.Value,
                _ => null,
            };
            if (value is null) continue;

            values++;
            if (Unconverted(value).Type is not { TypeKind: not TypeKind.Interface and not TypeKind.Error }) return false;
        }

        return values > 0;
    }

    /// <summary>
    /// An indexer that returns the element type the code wrote (<c>List&lt;IEnumerable&lt;int&gt;&gt;</c>'s
    /// T, a dictionary's TValue), or one declared in this code; not one whose interface its type
    /// fixes (an ILookup's <c>lookup[key]</c>, groups the lookup makes).
    /// </summary>
    private static bool IsElementTheCodeTyped(IPropertySymbol indexer) =>
        indexer.OriginalDefinition.Type is ITypeParameterSymbol || !indexer.OriginalDefinition.DeclaringSyntaxReferences.IsEmpty;

    private static bool IsPrivateInSource(ISymbol member) =>
        member.DeclaredAccessibility == Accessibility.Private && !member.DeclaringSyntaxReferences.IsEmpty;

    /// <summary>The collection's type before the implicit conversion foreach applies.</summary>
    private static ITypeSymbol? CollectionType(IOperation collection) => Unconverted(collection).Type;

    private static IOperation Unconverted(IOperation collection) =>
        collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : collection;
}
