using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1003: a value type boxed in a hot place. Three shapes, all of which the compiler emits as a box
/// that the .NET 10 JIT keeps (measured per shape; see docs/rules/PK1003.md):
/// a boxing conversion (to object, ValueType, Enum or an interface, including object parameters of
/// non-generic collections and object overloads); a call on a struct or enum of an Object, ValueType
/// or Enum method it does not override; and a value in a string concatenation or FormattableString
/// whose ToString() is not its own.
/// </summary>
internal sealed class BoxingInHotPlaceRule : HotMemberRule
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.BoxingInHotPlace,
        "A value type is boxed in a hot place",
        "{0} {1}",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "Converting a value type to object, System.ValueType, System.Enum or an interface copies it into a new heap object. So does calling ToString, GetHashCode or Equals on a struct that does not override them, and concatenating such a struct into a string. In a loop or a [HotPath] member that is an allocation per pass.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.LoopsAndHotPathMembers;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.Conversion, OperationKind.Invocation);

    public override Action<OperationAnalysisContext> Start(Compilation compilation)
    {
        var analysis = CompilationLookups.OnFirstUse(compilation, Analysis.Create);
        return operation => analysis.Value?.Analyze(operation);
    }

    private sealed class Analysis(INamedTypeSymbol? formattableString, INamedTypeSymbol? formattable)
    {
        /// <summary>Null without a core library: nothing can box.</summary>
        public static Analysis? Create(Compilation compilation) =>
            compilation.GetSpecialType(SpecialType.System_ValueType).TypeKind == TypeKind.Error
                ? null
                : new Analysis(compilation.GetTypeByMetadataName("System.FormattableString"), compilation.GetTypeByMetadataName("System.IFormattable"));

        /// <summary>One callback for both kinds: one registration per hot member, not two.</summary>
        public void Analyze(OperationAnalysisContext context)
        {
            if (context.Operation.Kind == OperationKind.Conversion) AnalyzeConversion(context);
            else AnalyzeInvocation(context);
        }

        private void AnalyzeConversion(OperationAnalysisContext context)
        {
            var conversion = (IConversionOperation)context.Operation;
            var csharpConversion = conversion.GetConversion();

            if (csharpConversion.IsInterpolatedString)
            {
                AnalyzeFormattableString(context, conversion);
                return;
            }

            if (!csharpConversion.IsBoxing) return;

            // Only a type known to be a value type boxes for sure: an unconstrained T boxes only when
            // instantiated with a struct, and is not reported.
            var source = conversion.Operand.Type;
            if (source is null || !source.IsValueType) return;

            var concatenation = IsStringConcatenationOperand(conversion);
            if (concatenation)
            {
                // The compiler calls ToString() on the value instead of boxing it (checked in the IL
                // of C# 9 to 14); that call boxes only when the type does not override ToString().
                source = UnderlyingType(source);
                if (source is null || OverridesToString(source)) return;
            }
            else if (IsJitIntrinsicEnumCall(conversion.Parent))
            {
                return;
            }

            if (!IsReportable(context, out var place)) return;

            var subject = concatenation
                ? $"'{Display(source)}' is boxed to call ToString() in a string concatenation, because it does not override ToString(),"
                : $"'{Display(source)}' is boxed by its conversion to '{Display(conversion.Type)}'";
            Report(context, conversion.Syntax.GetLocation(), place, subject);
        }

        private static void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.IsStatic || invocation.Instance?.Type is not { IsValueType: true } receiverType) return;
            if (receiverType.TypeKind is not (TypeKind.Struct or TypeKind.Enum)) return; // T : struct may override: unknown
            if (method.ContainingType.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType or SpecialType.System_Enum)) return;

            // Measured on .NET 10: the JIT removes the box for GetType() on a value type, for
            // Enum.HasFlag and for GetHashCode() on an enum. Everything else here allocates.
            if (method.Name == nameof(GetType) && method.Parameters.IsEmpty) return;
            if (IsJitIntrinsicEnumCall(invocation)) return;
            if (receiverType.TypeKind == TypeKind.Enum && method.Name == nameof(GetHashCode) && method.Parameters.IsEmpty) return;

            if (!IsReportable(context, out var place)) return;

            var why = receiverType.TypeKind == TypeKind.Enum ? "which enums inherit" : "which it does not override";
            var subject = $"'{Display(receiverType)}' is boxed to call '{method.ContainingType.Name}.{method.Name}', {why},";
            var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                ? access.Name.GetLocation()
                : invocation.Syntax.GetLocation();
            Report(context, location, place, subject);
        }

        /// <summary>
        /// FormattableString and IFormattable targets are built by FormattableStringFactory.Create(format,
        /// params object[]): every value-type hole is boxed. A string target uses
        /// DefaultInterpolatedStringHandler, whose AppendFormatted&lt;T&gt; does not box.
        /// </summary>
        private void AnalyzeFormattableString(OperationAnalysisContext context, IConversionOperation conversion)
        {
            if (conversion.Type is null || conversion.Operand is not IInterpolatedStringOperation interpolated) return;
            if (!SymbolEqualityComparer.Default.Equals(conversion.Type, formattableString) && !SymbolEqualityComparer.Default.Equals(conversion.Type, formattable)) return;

            HotPlace place = default;
            var checkedPlace = false;
            foreach (var part in interpolated.Parts)
            {
                if (part is not IInterpolationOperation { Expression.Type: { IsValueType: true } holeType } hole) continue;
                if (!checkedPlace)
                {
                    if (!IsReportable(context, out place)) return;
                    checkedPlace = true;
                }

                Report(context, hole.Expression.Syntax.GetLocation(), place, $"'{Display(holeType)}' is boxed into the arguments of a '{Display(conversion.Type)}'");
            }
        }

        /// <summary>The hot-place check first (cheap), then whether the code runs as written.</summary>
        private static bool IsReportable(OperationAnalysisContext context, out HotPlace place)
        {
            place = HotPlaces.Classify(context.Operation, context.ContainingSymbol, context.Options);
            if (!place.IsHot && !HotPlaceReporter.ReportsOutsideHotPlaces(context.Options, context.Operation.Syntax.SyntaxTree)) return false;
            return AllocationSites.AllocatesAsWritten(context.Operation);
        }

        private static void Report(OperationAnalysisContext context, Location location, HotPlace place, string subject)
        {
            var diagnostic = HotPlaceReporter.CreateDiagnostic(context.Operation, context.Options, Descriptor, location, place, [subject]);
            if (diagnostic is not null) context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// True for an explicit cast to object passed to StringBuilder.Append/Insert,
    /// TextWriter.Write/WriteLine or Console.Write/WriteLine, when the same method has an overload
    /// identical but for taking the value's own type: those overloads format the value exactly as its
    /// ToString() does, so dropping the cast changes nothing but the box. The code fix uses this.
    /// </summary>
    internal static bool IsRemovableCast(IConversionOperation conversion)
    {
        if (conversion.IsImplicit || conversion.Syntax is not CastExpressionSyntax) return false;
        if (conversion.Operand.Type is not { IsValueType: true } operandType) return false;
        if (conversion.Parent is not IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation }) return false;

        var method = invocation.TargetMethod;
        var declaringType = method.ContainingType;
        if (!IsTypeWithSameTypeOverloads(declaringType) || method.Name is not ("Append" or "Insert" or "Write" or "WriteLine")) return false;

        foreach (var candidate in declaringType.GetMembers(method.Name))
        {
            if (candidate is not IMethodSymbol other || other.IsStatic != method.IsStatic || other.IsGenericMethod) continue;
            if (other.Parameters.Length != method.Parameters.Length || !SymbolEqualityComparer.Default.Equals(other.ReturnType, method.ReturnType)) continue;

            var matches = true;
            for (var i = 0; i < other.Parameters.Length && matches; i++)
            {
                var expected = i == parameter.Ordinal ? operandType : method.Parameters[i].Type;
                matches = other.Parameters[i].RefKind == RefKind.None && SymbolEqualityComparer.Default.Equals(other.Parameters[i].Type, expected);
            }

            if (matches) return true;
        }

        return false;
    }

    private static bool IsTypeWithSameTypeOverloads(INamedTypeSymbol type) =>
        type.ToDisplayString() is "System.Text.StringBuilder" or "System.IO.TextWriter" or "System.Console";

    /// <summary>An operand of string + or +=, which the compiler lowers to ToString() and string.Concat.</summary>
    private static bool IsStringConcatenationOperand(IConversionOperation conversion) => conversion.Parent switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null, Type.SpecialType: SpecialType.System_String } => true,
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null, Type.SpecialType: SpecialType.System_String } => true,
        _ => false,
    };

    /// <summary>Enum.HasFlag called on an enum: the JIT compiles it to a bit test, with neither box.</summary>
    private static bool IsJitIntrinsicEnumCall(IOperation? operation)
    {
        if (operation is IArgumentOperation argument) operation = argument.Parent;
        return operation is IInvocationOperation { TargetMethod: { Name: "HasFlag", ContainingType.SpecialType: SpecialType.System_Enum }, Instance.Type.TypeKind: TypeKind.Enum };
    }

    /// <summary>The type whose ToString() runs: T for Nullable&lt;T&gt;; null when unknown (a type parameter).</summary>
    private static ITypeSymbol? UnderlyingType(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable) type = nullable.TypeArguments[0];
        return type.TypeKind is TypeKind.Struct or TypeKind.Enum ? type : null;
    }

    /// <summary>Structs cannot inherit, so the override must be the type's own (records synthesize one).</summary>
    private static bool OverridesToString(ITypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Enum) return false; // Enum.ToString() runs on a boxed copy
        foreach (var member in type.GetMembers(nameof(ToString)))
        {
            if (member is IMethodSymbol { IsOverride: true, Parameters.IsEmpty: true }) return true;
        }

        return false;
    }

    private static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
}
