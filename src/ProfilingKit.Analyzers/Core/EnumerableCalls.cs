using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// What a call to a System.Linq.Enumerable extension method does with its source: returns a lazy
/// sequence over it, copies it into a new collection, or reduces it to a value.
/// </summary>
internal static class EnumerableCalls
{
    /// <summary>True when <paramref name="invocation"/> calls an extension method of <paramref name="enumerable"/> (System.Linq.Enumerable).</summary>
    public static bool IsEnumerableExtensionCall(IInvocationOperation invocation, INamedTypeSymbol enumerable) =>
        invocation.TargetMethod.IsExtensionMethod
        && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, enumerable);

    /// <summary>ToList, ToArray, ToHashSet, ToDictionary, ToLookup: a new collection holding copies of the elements, not the source.</summary>
    public static bool IsMaterializer(IMethodSymbol method) =>
        method.Name is "ToList" or "ToArray" or "ToHashSet" or "ToDictionary" or "ToLookup";

    /// <summary>
    /// The call returns a sequence that still reads from its source (Where, Select, OrderBy,
    /// AsEnumerable...): not a copy, not a single value.
    /// </summary>
    public static bool ReturnsLazySequence(IMethodSymbol method)
    {
        if (IsMaterializer(method)) return false;

        var returnType = method.ReturnType;
        if (returnType.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T) return true;
        foreach (var implemented in returnType.AllInterfaces)
        {
            if (implemented.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T) return true;
        }

        return false;
    }

    /// <summary>The argument passed as the extension method's <c>this</c> parameter, or null.</summary>
    public static IArgumentOperation? SourceArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: 0 }) return argument;
        }

        return null;
    }

    /// <summary>The source value with the implicit conversions (to IEnumerable&lt;T&gt;) and query translation taken off.</summary>
    public static IOperation? SourceValue(IInvocationOperation invocation)
    {
        var value = SourceArgument(invocation)?.Value;
        while (true)
        {
            switch (value)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    value = conversion.Operand;
                    continue;
                case ITranslatedQueryOperation query:
                    value = query.Operation;
                    continue;
                default:
                    return value;
            }
        }
    }
}
