using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Loops over reflection metadata: <c>foreach (var property in type.GetProperties())</c>,
/// <c>for (var i = 0; i &lt; parameters.Length; i++)</c> over a <c>ParameterInfo[]</c>, a query over
/// members (<c>members.GroupBy(m =&gt; m.Name)</c>), and loops that query reflection on every
/// iteration (<c>enumType.GetField(name)</c>). Reflection allocates more per iteration than what the
/// rules would remove, and code that reflects over a type caches its result per type in practice
/// (contract resolution, enum tables, compiled accessors): cold by default, hot again with
/// <c>profilingkit.reflection_loops_are_hot = true</c>.
/// </summary>
/// <remarks>
/// Reflection metadata: arrays and sequences of System.Reflection's MemberInfo (so Type, PropertyInfo,
/// MethodInfo...), ParameterInfo and CustomAttributeData, and what a reflection query returns. A
/// reflection query is a method of System.Type or of a System.Reflection type (or Attribute's
/// GetCustomAttribute(s)) that returns a new array or sequence (GetProperties, GetInterfaces,
/// GetGenericArguments, GetParameters, GetCustomAttributes, GetManifestResourceNames), an attribute,
/// or that looks something up by name (GetMethod, GetField, GetProperty, Type.GetType). Cheap
/// reads (GetElementType, IsAssignableFrom, a PropertyInfo's GetValue) are no queries.
/// </remarks>
internal static class ReflectionLoops
{
    public const string ReflectionLoopsAreHotKey = "profilingkit.reflection_loops_are_hot";

    public static bool AreHot(AnalyzerOptions options, SyntaxTree tree) => ConfigOptions.IsOn(options, tree, ReflectionLoopsAreHotKey);

    public static bool AreOverMetadata(ILoopOperation loop) => loop switch
    {
        IForEachLoopOperation forEach when IsMetadata(forEach.Collection) => true,
        IForLoopOperation { Condition: IBinaryOperation bound } when BoundsMetadata(bound) => true,
        _ => EveryIteration.Does(loop, static operation => operation is IInvocationOperation invocation && IsQuery(invocation.TargetMethod)),
    };

    /// <summary>A collection of reflection metadata, what a reflection query returns, or a query (Where, GroupBy...) over one.</summary>
    private static bool IsMetadata(IOperation collection)
    {
        collection = StringConcatenation.WithoutImplicitConversions(collection);
        if (ElementType(collection.Type) is { } element && IsMetadataType(element)) return true;

        return collection is IInvocationOperation invocation
            && (IsQuery(invocation.TargetMethod)
                || invocation.TargetMethod.IsExtensionMethod && EnumerableCalls.SourceValue(invocation) is { } source && IsMetadata(source));
    }

    /// <summary><c>i &lt; members.Length</c> (or <c>Count</c>, either way round) over reflection metadata.</summary>
    private static bool BoundsMetadata(IBinaryOperation bound)
    {
        var limit = bound.OperatorKind switch
        {
            BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual => bound.RightOperand,
            BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual => bound.LeftOperand,
            _ => null,
        };

        return limit is not null
            && StringConcatenation.WithoutImplicitConversions(limit) is IPropertyReferenceOperation { Property.Name: "Length" or "Count", Instance: { } instance }
            && IsMetadata(instance);
    }

    private static bool IsQuery(IMethodSymbol method)
    {
        if (!IsReflectionType(method.ContainingType)) return false;

        var returned = method.ReturnType;
        if (returned.SpecialType != SpecialType.System_String && (returned is IArrayTypeSymbol || ElementType(returned) is not null)) return true;
        if (IsAttribute(returned)) return true;
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type.SpecialType == SpecialType.System_String) return true;
        }

        return false;
    }

    /// <summary>System.Type, System.Attribute, and the types of System.Reflection and the namespaces under it.</summary>
    private static bool IsReflectionType(INamedTypeSymbol? type)
    {
        if (type is null) return false;
        if (type.Name is "Type" or "Attribute" && IsSystem(type.ContainingNamespace)) return true;

        for (var ns = type.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (ns.Name == "Reflection" && IsSystem(ns.ContainingNamespace)) return true;
        }

        return false;
    }

    /// <summary>MemberInfo (so Type, PropertyInfo, MethodInfo...), ParameterInfo, CustomAttributeData, or a class derived from one.</summary>
    private static bool IsMetadataType(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name is "MemberInfo" or "ParameterInfo" or "CustomAttributeData" && current.ContainingNamespace is { Name: "Reflection" } ns && IsSystem(ns.ContainingNamespace)) return true;
        }

        return false;
    }

    private static bool IsAttribute(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Attribute" && IsSystem(current.ContainingNamespace)) return true;
        }

        return false;
    }

    private static bool IsSystem(INamespaceSymbol? ns) => ns is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };

    /// <summary>The element type of an array or of the IEnumerable&lt;T&gt; a type is or implements; null for other types.</summary>
    private static ITypeSymbol? ElementType(ITypeSymbol? type)
    {
        switch (type)
        {
            case null:
                return null;
            case IArrayTypeSymbol array:
                return array.ElementType;
            case INamedTypeSymbol named when named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T:
                return named.TypeArguments[0];
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T) return implemented.TypeArguments[0];
        }

        return null;
    }
}
