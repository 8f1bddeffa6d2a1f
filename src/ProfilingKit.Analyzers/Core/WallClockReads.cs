using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Recognizes wall-clock readings (DateTime.Now/UtcNow, DateTimeOffset.Now/UtcNow) and the locals
/// that only ever hold one, and subtractions between them: elapsed time measured on the wall clock.
/// Shared by PK2002's analyzer and its code fix.
/// </summary>
internal static class WallClockReads
{
    /// <summary>DateTime or DateTimeOffset.</summary>
    public static bool IsClockType(ITypeSymbol? type) =>
        type is not null
        && (type.SpecialType == SpecialType.System_DateTime
            || (type.Name == "DateTimeOffset" && type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }));

    /// <summary><c>DateTime.Now</c>, <c>DateTime.UtcNow</c>, <c>DateTimeOffset.Now</c>, <c>DateTimeOffset.UtcNow</c>.</summary>
    public static bool IsClockRead(IOperation? operation) =>
        operation is IPropertyReferenceOperation { Instance: null, Property: { Name: "Now" or "UtcNow", IsStatic: true } property }
        && IsClockType(property.ContainingType);

    /// <summary>
    /// The two operands of a subtraction between clock values giving a TimeSpan: <c>a - b</c> or
    /// <c>a.Subtract(b)</c>. False for anything else, including DateTime minus TimeSpan.
    /// </summary>
    public static bool TryGetClockSubtraction(IOperation operation, out IOperation minuend, out IOperation subtrahend)
    {
        minuend = subtrahend = operation;
        switch (operation)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Subtract } binary
                when IsClockType(binary.LeftOperand.Type) && IsClockType(binary.RightOperand.Type)
                    && SymbolEqualityComparer.Default.Equals(binary.LeftOperand.Type, binary.RightOperand.Type):
                minuend = binary.LeftOperand;
                subtrahend = binary.RightOperand;
                return true;

            case IInvocationOperation { TargetMethod: { Name: "Subtract", IsStatic: false, Parameters.Length: 1 } method, Instance: { } instance } invocation
                when IsClockType(method.ContainingType)
                    && SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, method.ContainingType):
                minuend = instance;
                subtrahend = invocation.Arguments[0].Value;
                return true;

            default:
                return false;
        }
    }

    /// <summary>
    /// True when <paramref name="operation"/> reads a local that is initialized from the wall clock and
    /// only ever reassigned from it.
    /// </summary>
    public static bool IsClockLocal(IOperation operation) =>
        operation is ILocalReferenceOperation { Local: { IsRef: false } local } && IsWrittenOnlyFromClock(local, Root(operation));

    /// <summary>The body the operation belongs to: the method, accessor, lambda's container or top-level statements.</summary>
    public static IOperation Root(IOperation operation)
    {
        var root = operation;
        while (root.Parent is not null) root = root.Parent;
        return root;
    }

    private static bool IsWrittenOnlyFromClock(ILocalSymbol local, IOperation root)
    {
        var initializedFromClock = false;
        foreach (var descendant in root.Descendants())
        {
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (!IsClockRead(declarator.Initializer?.Value)) return false;
                    initializedFromClock = true;
                    break;

                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    if (!IsReadOrClockAssignment(reference)) return false;
                    break;
            }
        }

        return initializedFromClock;
    }

    private static bool IsReadOrClockAssignment(ILocalReferenceOperation reference) =>
        reference.Parent switch
        {
            ISimpleAssignmentOperation assignment when assignment.Target == reference => IsClockRead(assignment.Value),
            IAssignmentOperation assignment when assignment.Target == reference => false,
            IArgumentOperation argument => argument.Parameter?.RefKind is null or RefKind.None or RefKind.In or RefKind.RefReadOnlyParameter,
            ITupleOperation => false, // possibly a deconstruction target
            _ => !reference.IsDeclaration,
        };
}
