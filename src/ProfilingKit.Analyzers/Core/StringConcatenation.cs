using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// String concatenations as the compiler bound them: chains of the built-in string <c>+</c>, and
/// the variables (locals, parameters, fields, properties) they read. Shared by PK1001, PK1002 and
/// their code fixes, so the rules and the fixes agree on what an operand is.
/// </summary>
internal static class StringConcatenation
{
    /// <summary>A string <c>+</c> evaluated at run time: the built-in operator, not folded to a constant.</summary>
    public static bool IsConcatenation(IOperation? operation) =>
        operation is IBinaryOperation
        {
            OperatorKind: BinaryOperatorKind.Add,
            OperatorMethod: null,
            Type.SpecialType: SpecialType.System_String,
            ConstantValue.HasValue: false,
        };

    /// <summary>
    /// The operands of a chain of string <c>+</c>, left to right, nested chains flattened
    /// (<c>a + (b + c)</c> gives a, b, c); the implicit conversions to object the compiler adds to
    /// non-string operands are kept, so callers can see user-defined ones.
    /// </summary>
    public static List<IOperation> Operands(IBinaryOperation concatenation)
    {
        // Iterative: generated code can hold chains of thousands of operands.
        var operands = new List<IOperation>();
        var pending = new Stack<IOperation>();
        pending.Push(concatenation);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            var unwrapped = WithoutImplicitConversions(operation);
            if (unwrapped is IBinaryOperation binary && IsConcatenation(binary))
            {
                pending.Push(binary.RightOperand);
                pending.Push(binary.LeftOperand);
            }
            else
            {
                operands.Add(operation);
            }
        }

        return operands;
    }

    public static IOperation WithoutImplicitConversions(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion) operation = conversion.Operand;
        return operation;
    }

    /// <summary>The arguments of a call as written, with a params array or params collection spread out.</summary>
    public static IEnumerable<IOperation> ArgumentValues(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Value)
            {
                case IArrayCreationOperation { Initializer: { } initializer } when argument.ArgumentKind == ArgumentKind.ParamArray:
                    foreach (var element in initializer.ElementValues) yield return element;
                    break;
                case ICollectionExpressionOperation collection when argument.ArgumentKind == ArgumentKind.ParamCollection:
                    foreach (var element in collection.Elements) yield return element;
                    break;
                default:
                    yield return argument.Value;
                    break;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="reference"/> names the same variable as <paramref name="variable"/>:
    /// the same local or parameter, or the same field or property (no indexer) of the same instance.
    /// </summary>
    public static bool IsSameVariable(IOperation reference, IOperation variable)
    {
        reference = ResolveConditionalInstance(WithoutImplicitConversions(reference));
        variable = ResolveConditionalInstance(WithoutImplicitConversions(variable));
        return (reference, variable) switch
        {
            (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
            (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
            (IFieldReferenceOperation a, IFieldReferenceOperation b) =>
                SymbolEqualityComparer.Default.Equals(a.Field, b.Field) && IsSameInstance(a.Instance, b.Instance),
            (IPropertyReferenceOperation a, IPropertyReferenceOperation b) =>
                a.Arguments.Length == 0 && b.Arguments.Length == 0
                && SymbolEqualityComparer.Default.Equals(a.Property, b.Property) && IsSameInstance(a.Instance, b.Instance),
            (IInstanceReferenceOperation a, IInstanceReferenceOperation b) =>
                a.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance && b.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance,
            _ => false,
        };
    }

    /// <summary>Whether any part of <paramref name="operation"/> reads <paramref name="variable"/>.</summary>
    public static bool Reads(IOperation operation, IOperation variable)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation
                && IsSameVariable(descendant, variable))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>For <c>a?.B</c>, the instance the conditional access tests (<c>a</c>); other operations unchanged.</summary>
    public static IOperation ResolveConditionalInstance(IOperation operation)
    {
        if (operation is not IConditionalAccessInstanceOperation) return operation;

        // The instance belongs to the nearest access whose WhenNotNull part holds it (a?.b?.C nests them).
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access && access.WhenNotNull == child) return WithoutImplicitConversions(access.Operation);
        }

        return operation;
    }

    private static bool IsSameInstance(IOperation? a, IOperation? b) =>
        a is null || b is null ? a is null && b is null : IsSameVariable(a, b);
}
