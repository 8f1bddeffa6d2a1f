using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Decides whether a collection created in a loop body is dead by the end of the iteration: held
/// only in a local declared in the body and used only in ways that cannot keep a reference to it.
/// Conservative by design: a use it does not understand (passing the collection to an arbitrary
/// method, storing it, returning, yielding or capturing it) counts as an escape, so a report means
/// the allocation really can be reused across iterations.
/// </summary>
internal sealed class IterationEscape
{
    // Derived values (dict.Keys, list.Where(...)) are followed this many steps; beyond that, escape.
    private const int MaxDerivedDepth = 3;

    private readonly INamedTypeSymbol? _enumerable;

    public IterationEscape(Compilation compilation)
    {
        _enumerable = compilation.GetTypeByMetadataName("System.Linq.Enumerable");
    }

    /// <summary>
    /// The local declared in <paramref name="loop"/>'s body that <paramref name="creation"/> initializes,
    /// when every use of that local stays within the iteration; otherwise null.
    /// </summary>
    public ILocalSymbol? ContainedLoopLocal(IOperation creation, ILoopOperation loop)
    {
        var value = SkipReferenceConversions(creation);
        if (value.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }) return null;

        var local = declarator.Symbol;
        return LocalStaysInIteration(local, loop) ? local : null;
    }

    /// <summary>
    /// True when the value <paramref name="operation"/> produces cannot outlive the iteration: it is used
    /// on the spot (indexed, counted, enumerated...) or held in a contained loop local.
    /// </summary>
    public bool StaysInIteration(IOperation operation, ILoopOperation loop) =>
        ValueStaysInIteration(operation, loop, depth: 0, allowLocal: true);

    private bool LocalStaysInIteration(ILocalSymbol local, ILoopOperation loop)
    {
        if (local.IsRef || local.IsConst) return false;

        var bodySyntax = loop.Body.Syntax;
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != bodySyntax.SyntaxTree || !bodySyntax.Span.Contains(reference.Span)) return false;
        }

        foreach (var descendant in loop.Body.Descendants())
        {
            if (descendant is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local)) continue;
            if (IsInsideFunction(reference, loop.Body)) return false; // captured: the closure may outlive the iteration
            if (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference) return false; // reassigned
            if (!ValueStaysInIteration(reference, loop, depth: 1, allowLocal: false)) return false;
        }

        return true;
    }

    private bool ValueStaysInIteration(IOperation operation, ILoopOperation loop, int depth, bool allowLocal)
    {
        var value = SkipReferenceConversions(operation);
        switch (value.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when allowLocal:
                return LocalStaysInIteration(declarator.Symbol, loop);

            case IForEachLoopOperation forEach when forEach.Collection == value:
            case IArrayElementReferenceOperation element when element.ArrayReference == value:
            case ISpreadOperation spread when spread.Operand == value: // the elements are copied, the collection is not kept
            case IBinaryOperation: // compared, e.g. to null
            case IIsTypeOperation: // (an is-pattern may bind the value to a new variable: not listed)
                return true;

            case IInvocationOperation invocation when invocation.Instance == value:
                return MemberResultStays(invocation, invocation.TargetMethod, loop, depth);

            case IPropertyReferenceOperation property when property.Instance == value:
                // An indexer reads or writes an element; the collection itself stays put.
                return property.Property.IsIndexer || MemberResultStays(property, property.Property.GetMethod ?? property.Property.OriginalDefinition.GetMethod, loop, depth);

            case IArgumentOperation { Parameter.RefKind: RefKind.None, Parent: IInvocationOperation invocation }:
                return ArgumentStays(invocation, loop, depth);

            default:
                return false;
        }
    }

    /// <summary>Passed to a method: only methods known not to keep their argument are safe.</summary>
    private bool ArgumentStays(IInvocationOperation invocation, ILoopOperation loop, int depth)
    {
        var method = invocation.TargetMethod;
        if (_enumerable is not null && EnumerableCalls.IsEnumerableExtensionCall(invocation, _enumerable))
        {
            // A lazy sequence (Where, Select...) reads from the collection later: follow it.
            if (EnumerableCalls.ReturnsLazySequence(method)) return depth < MaxDerivedDepth && ValueStaysInIteration(invocation, loop, depth + 1, allowLocal: false);
            return true; // a copy (ToList...) or a single value (Count, Sum, First...)
        }

        // string.Join, string.Concat, Array.Sort, Array.IndexOf...: they read the collection and return a value.
        return method.ContainingType?.SpecialType is SpecialType.System_String or SpecialType.System_Array
            && IsInert(method.ReturnType, method);
    }

    /// <summary>An instance member of the collection: its result must not carry the collection with it.</summary>
    private bool MemberResultStays(IOperation memberOperation, IMethodSymbol? method, ILoopOperation loop, int depth)
    {
        if (method is null) return false;
        if (IsInert(method.ReturnType, method)) return true;

        // Keys, Values, GetEnumerator(), AsReadOnly(): views over the collection. Follow them a few steps.
        return depth < MaxDerivedDepth && ValueStaysInIteration(memberOperation, loop, depth + 1, allowLocal: false);
    }

    /// <summary>A result that cannot hold a reference to the collection it came from.</summary>
    private static bool IsInert(ITypeSymbol returnType, IMethodSymbol method)
    {
        if (method.ReturnsVoid) return true;
        // int, bool, string...; not object, IEnumerable, IEnumerator, Array, which can be the collection itself.
        if (returnType.SpecialType == SpecialType.System_String || (returnType.IsValueType && returnType.SpecialType != SpecialType.None)) return true;
        if (returnType.TypeKind == TypeKind.Enum) return true;
        if (method.OriginalDefinition.ReturnType is ITypeParameterSymbol) return true; // an element: Find, Dequeue, Pop...

        // Copies, not views: List<T>.ToArray(), GetRange(), Slice().
        return method.Name is "ToArray" or "GetRange" or "Slice" && returnType.TypeKind is TypeKind.Array or TypeKind.Class;
    }

    private static IOperation SkipReferenceConversions(IOperation operation)
    {
        var value = operation;
        while (value.Parent is IConversionOperation conversion
            && !conversion.Conversion.IsUserDefined
            && (conversion.Conversion.IsIdentity
                || conversion.Conversion.IsReference
                || SymbolEqualityComparer.Default.Equals(conversion.Type, value.Type) // target-typed new()
                || value.Kind == OperationKind.CollectionExpression))
        {
            value = conversion;
        }

        return value;
    }

    private static bool IsInsideFunction(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation) return true;
        }

        return false;
    }
}
