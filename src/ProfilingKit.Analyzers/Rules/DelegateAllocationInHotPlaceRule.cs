using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK1004: a delegate (and for capturing lambdas, a closure) allocated in a hot place. The rule
/// follows what the C# compiler caches, checked against Roslyn's ClosureConversion and
/// DelegateCacheRewriter and the IL it emits:
/// <list type="bullet">
/// <item>a lambda that captures nothing is cached in a static field — except inside a generic local
/// function (its lowered method is generic) or a static constructor;</item>
/// <item>a lambda that captures only <c>this</c> is allocated on every evaluation;</item>
/// <item>a lambda that captures locals or parameters allocates a closure when their scope is entered
/// and a delegate that is cached on that closure when the lambda sits in a loop inside the scope: it
/// allocates per iteration only when a captured variable is declared inside the loop;</item>
/// <item>a method group is cached only when it is a static method (or static local function)
/// converted implicitly, from C# 11 on, outside a static constructor.</item>
/// </list>
/// </summary>
internal sealed class DelegateAllocationInHotPlaceRule : HotMemberRule
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        RuleIdentifiers.DelegateAllocationInHotPlace,
        "A delegate or closure is allocated in a hot place",
        "{0} allocates {1} {2}",
        RuleCategories.Performance,
        DiagnosticSeverity.Info, // a suggestion, as the .NET SDK's performance rules; Warning in measured hot places (HotPlaceReporter)
        "A lambda that captures locals, parameters or 'this', a method group of an instance method, and a lambda the compiler cannot cache each allocate a delegate, and a capturing lambda also a closure object. Static lambdas, lambdas that capture nothing and (from C# 11) static method groups are cached by the compiler and are not reported.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    public override HotCodeScope Scope => HotCodeScope.LoopsAndHotPathMembers;

    public override ImmutableArray<OperationKind> Kinds { get; } = ImmutableArray.Create(OperationKind.DelegateCreation);

    /// <summary>The language version needs no symbol lookup; a delegate creation needs a core library.</summary>
    public override Action<OperationAnalysisContext>? Start(Compilation compilation) =>
        compilation is CSharpCompilation csharp ? new Analysis(csharp.LanguageVersion >= LanguageVersion.CSharp11).AnalyzeDelegateCreation : null;

    private sealed class Analysis(bool cachesStaticMethodGroups)
    {
        public void AnalyzeDelegateCreation(OperationAnalysisContext context)
        {
            var creation = (IDelegateCreationOperation)context.Operation;
            if (IsIterationProduct(creation)) return;

            switch (creation.Target)
            {
                case IAnonymousFunctionOperation lambda:
                    AnalyzeLambda(context, creation, lambda);
                    break;
                case IMethodReferenceOperation methodReference:
                    AnalyzeMethodGroup(context, creation, methodReference);
                    break;
                case { Type.TypeKind: TypeKind.Delegate } wrapped when creation.Syntax is BaseObjectCreationExpressionSyntax:
                    // new Func<int>(otherDelegate): a new delegate that calls the other's Invoke.
                    ReportPerEvaluation(context, creation, creation.Syntax.GetLocation(), $"Wrapping '{wrapped.Syntax}' in a new '{Display(creation.Type)}'", "a delegate");
                    break;
            }
        }

        private void AnalyzeLambda(OperationAnalysisContext context, IDelegateCreationOperation creation, IAnonymousFunctionOperation lambda)
        {
            var uncachedReason = UncacheableReason(creation, context.ContainingSymbol);
            if (lambda.Symbol.IsStatic && uncachedReason is null) return; // static lambdas are cached

            // Cheap gate first: is there any hot place at all? Only then walk the body for captures.
            var loops = EnclosingLoops(creation, context.ContainingSymbol, context.Options);
            if (loops.Count == 0 && HotPlaces.IsCold(creation, context.ContainingSymbol, context.Options)) return;
            var hotMember = HotPlaces.HotPathMember(context.ContainingSymbol);
            if (loops.Count == 0 && hotMember is null
                && !HotPlaceReporter.ReportsOutsideHotPlaces(context.Options, creation.Syntax.SyntaxTree)
                && HotPlaces.MeasuredHotSpot(creation, context.Options) is null)
            {
                return;
            }
            if (!AllocationSites.AllocatesAsWritten(creation)) return;

            var captures = Captures.Of(lambda);
            var location = LambdaLocation(lambda);

            if (captures.Variables.Count == 0)
            {
                if (captures.This)
                {
                    // No closure class: the lambda becomes an instance method and the delegate is never cached.
                    ReportPerEvaluation(context, creation, location, "This lambda captures 'this' and", "a delegate on every evaluation");
                }
                else if (uncachedReason is not null)
                {
                    ReportPerEvaluation(context, creation, location, $"This lambda {uncachedReason} and", "a delegate on every evaluation");
                }

                return; // captures nothing: cached in a static field
            }

            // A closure object is allocated each time the captured variables' scope is entered; the
            // delegate is cached on it when the lambda runs repeatedly inside that scope. So the pair
            // is allocated per iteration only when a captured variable is declared inside the loop.
            var perIterationLoop = PerIterationLoop(loops, captures.Variables);
            var place = perIterationLoop is not null
                ? new HotPlace(HotPlaceKind.Loop, "in a loop")
                : hotMember is not null ? new HotPlace(HotPlaceKind.HotPathMember, $"in [HotPath] member '{hotMember.Name}'") : HotPlaces.MeasuredHotPlace(creation, context.ContainingSymbol, context.Options);

            var subject = $"This lambda captures {CaptureList(captures)} and";
            var what = perIterationLoop is not null && !ClosureIsPerIteration(perIterationLoop, captures.Variables)
                ? "a delegate on every iteration"
                : "a closure and a delegate";
            Report(context, creation, location, place, subject, what);
        }

        private void AnalyzeMethodGroup(OperationAnalysisContext context, IDelegateCreationOperation creation, IMethodReferenceOperation reference)
        {
            var method = reference.Method;
            string subject;
            if (method.MethodKind == MethodKind.LocalFunction && !method.IsStatic)
            {
                subject = $"Converting local function '{method.Name}' to a delegate (only static local functions are cached)";
            }
            else if (reference.Instance is not null || !method.IsStatic || method.MethodKind == MethodKind.ReducedExtension)
            {
                subject = method.MethodKind == MethodKind.ReducedExtension || method.IsExtensionMethod
                    ? $"Converting extension method '{method.Name}' bound to a receiver to a delegate"
                    : $"Converting instance method '{method.Name}' to a delegate";
            }
            else if (creation.Syntax is BaseObjectCreationExpressionSyntax)
            {
                subject = $"Creating a delegate with 'new' for static method '{method.Name}' (never cached; a plain conversion is, from C# 11)";
            }
            else if (!cachesStaticMethodGroups)
            {
                subject = $"Converting static method '{method.Name}' to a delegate (cached only from C# 11)";
            }
            else if (IsStaticInitialization(context.ContainingSymbol))
            {
                subject = $"Converting static method '{method.Name}' to a delegate in a static constructor (not cached there)";
            }
            else
            {
                return; // C# 11+: cached in a static field
            }

            var location = creation.IsImplicit ? reference.Syntax.GetLocation() : creation.Syntax.GetLocation();
            ReportPerEvaluation(context, creation, location, subject, "a delegate on every evaluation");
        }

        /// <summary>Reports an allocation made each time the expression runs: hot wherever the expression is.</summary>
        private static void ReportPerEvaluation(OperationAnalysisContext context, IDelegateCreationOperation creation, Location location, string subject, string what)
        {
            var place = HotPlaces.Classify(creation, context.ContainingSymbol, context.Options);
            if (!place.IsHot && !HotPlaceReporter.ReportsOutsideHotPlaces(context.Options, creation.Syntax.SyntaxTree)) return;
            if (!AllocationSites.AllocatesAsWritten(creation)) return;
            Report(context, creation, location, place, subject, what);
        }

        private static void Report(OperationAnalysisContext context, IDelegateCreationOperation creation, Location location, HotPlace place, string subject, string what)
        {
            var diagnostic = HotPlaceReporter.CreateDiagnostic(creation, context.Options, Descriptor, location, place, [subject, what]);
            if (diagnostic is not null) context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>
    /// For the code fix: the one captured local or parameter of a lambda passed to
    /// ConcurrentDictionary.GetOrAdd(key, valueFactory) that GetOrAdd(key, valueFactory,
    /// factoryArgument) can carry instead, so the lambda can be static; null when that does not fit.
    /// </summary>
    internal static ISymbol? StateVariableForGetOrAdd(IDelegateCreationOperation creation)
    {
        if (creation.Target is not IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } lambda) return null;
        if (creation.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { Name: "GetOrAdd", Parameters.Length: 2 } method } }) return null;
        if (method.ContainingType.OriginalDefinition is not { Name: "ConcurrentDictionary", ContainingNamespace: { Name: "Concurrent", ContainingNamespace: { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } dictionary) return null;
        if (!HasStateOverload(dictionary)) return null;

        var captures = Captures.Of(lambda);
        if (captures.This || captures.ThroughLocalFunctions || captures.Variables.Count != 1) return null;
        foreach (var variable in captures.Variables) return variable;
        return null;
    }

    /// <summary>
    /// The delegate is what the iteration makes, not a cost of making something else: stored into a
    /// field, a property, an array element or an event; handed to a constructor (the object keeps it,
    /// as <c>new Thread(start)</c> does) or to a collection's Add, Enqueue, Push, Insert or TryAdd;
    /// started as work (<c>Task.Run</c>, <c>TaskFactory.StartNew</c>, <c>ThreadPool.QueueUserWorkItem</c>);
    /// or yielded. Allocating it is the point; there is nothing to hoist.
    /// </summary>
    private static bool IsIterationProduct(IDelegateCreationOperation creation)
    {
        IOperation value = creation;
        while (value.Parent is IConversionOperation or IDelegateCreationOperation) value = value.Parent;

        switch (value.Parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Value == value:
                return assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation or IArrayElementReferenceOperation;
            case IEventAssignmentOperation:
            case IReturnOperation { Kind: OperationKind.YieldReturn }:
                return true;
            case IArgumentOperation { Parent: IObjectCreationOperation }:
                return true;
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod: var method } }:
                return IsStartingWork(method) || IsAddingToCollection(method);
            default:
                return false;
        }
    }

    private static bool IsStartingWork(IMethodSymbol method) =>
        (method.Name is "Run" or "StartNew" or "ContinueWith" && method.ContainingType is { Name: "Task" or "TaskFactory" or "Task`1" or "TaskFactory`1", ContainingNamespace.Name: "Tasks" })
        || (method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" && method.ContainingType is { Name: "ThreadPool" });

    private static bool IsAddingToCollection(IMethodSymbol method)
    {
        if (method.Name is not ("Add" or "Enqueue" or "Push" or "Insert" or "TryAdd" or "AddFirst" or "AddLast")) return false; // not GetOrAdd: its factory runs, it is not stored
        var type = method.ContainingType;
        if (type is null) return false;
        if (type.ContainingNamespace?.ToDisplayString().StartsWith("System.Collections", StringComparison.Ordinal) == true) return true;
        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_ICollection_T) return true;
        }

        return false;
    }

    /// <summary>Why a lambda that captures nothing is still not cached; null when it is cached.</summary>
    private static string? UncacheableReason(IOperation creation, ISymbol? containingSymbol)
    {
        for (var parent = creation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILocalFunctionOperation { Symbol.IsGenericMethod: true } local)
            {
                return $"is inside generic local function '{local.Symbol.Name}', where the compiler does not cache lambdas,";
            }
        }

        return IsStaticInitialization(containingSymbol) ? "is in a static constructor, where the compiler does not cache lambdas," : null;
    }

    /// <summary>Code the compiler emits into the static constructor: its own body and static field or property initializers.</summary>
    private static bool IsStaticInitialization(ISymbol? symbol) => symbol switch
    {
        IMethodSymbol method => method.MethodKind == MethodKind.StaticConstructor,
        IFieldSymbol or IPropertySymbol or IEventSymbol => symbol.IsStatic,
        _ => false,
    };

    /// <summary>The loops that run <paramref name="operation"/> on every iteration, innermost first.</summary>
    private static List<ILoopOperation> EnclosingLoops(IOperation operation, ISymbol owningSymbol, AnalyzerOptions options)
    {
        var loops = new List<ILoopOperation>();
        for (var loop = HotPlaces.EnclosingLoop(operation, owningSymbol, options); loop is not null; loop = HotPlaces.EnclosingLoop(loop, owningSymbol, options)) loops.Add(loop);
        return loops;
    }

    /// <summary>The innermost loop inside which a captured variable is declared (a fresh closure or delegate each pass); null when all are declared outside every loop.</summary>
    private static ILoopOperation? PerIterationLoop(List<ILoopOperation> loops, HashSet<ISymbol> variables)
    {
        foreach (var loop in loops)
        {
            foreach (var variable in variables)
            {
                if (IsDeclaredIn(variable, loop.Syntax)) return loop;
            }
        }

        return null;
    }

    /// <summary>
    /// False when the only captured variables declared in the loop are a for loop's own variables:
    /// their closure is created once before the loop, and only the delegate is allocated per pass.
    /// </summary>
    private static bool ClosureIsPerIteration(ILoopOperation loop, HashSet<ISymbol> variables)
    {
        foreach (var variable in variables)
        {
            if (!IsDeclaredIn(variable, loop.Syntax)) continue;
            if (loop.Syntax is ForStatementSyntax forStatement && IsDeclaredInForInitializer(variable, forStatement)) continue;
            return true;
        }

        return false;
    }

    private static bool IsDeclaredIn(ISymbol variable, SyntaxNode node)
    {
        foreach (var reference in variable.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == node.SyntaxTree && node.Span.Contains(reference.Span)) return true;
        }

        return false;
    }

    private static bool IsDeclaredInForInitializer(ISymbol variable, ForStatementSyntax forStatement)
    {
        foreach (var reference in variable.DeclaringSyntaxReferences)
        {
            if (forStatement.Declaration is { } declaration && declaration.Span.Contains(reference.Span)) return true;
            foreach (var initializer in forStatement.Initializers)
            {
                if (initializer.Span.Contains(reference.Span)) return true;
            }
        }

        return false;
    }

    /// <summary>The arrow of a lambda, the delegate keyword of an anonymous method: where a reader looks for the allocation.</summary>
    private static Location LambdaLocation(IAnonymousFunctionOperation lambda) => lambda.Syntax switch
    {
        LambdaExpressionSyntax syntax => syntax.ArrowToken.GetLocation(),
        AnonymousMethodExpressionSyntax syntax => syntax.DelegateKeyword.GetLocation(),
        var other => other.GetLocation(),
    };

    private static string CaptureList(Captures captures)
    {
        var names = new List<string>();
        foreach (var variable in captures.Variables) names.Add($"'{variable.Name}'");
        names.Sort(System.StringComparer.Ordinal);
        if (captures.This) names.Add("'this'");
        return names.Count == 1 ? names[0] : string.Join(", ", names.GetRange(0, names.Count - 1)) + " and " + names[names.Count - 1];
    }

    private static bool HasStateOverload(INamedTypeSymbol concurrentDictionary)
    {
        foreach (var member in concurrentDictionary.GetMembers("GetOrAdd"))
        {
            if (member is IMethodSymbol { TypeParameters.Length: 1, Parameters.Length: 3 }) return true;
        }

        return false;
    }

    private static string Display(ITypeSymbol? type) => type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";

    /// <summary>
    /// What a lambda captures: locals and parameters declared outside it, and 'this', directly or
    /// through the non-static local functions it calls or converts (a walk of its operation tree,
    /// not a data-flow analysis).
    /// </summary>
    internal sealed class Captures
    {
        private Captures() { }

        public HashSet<ISymbol> Variables { get; } = new(SymbolEqualityComparer.Default);

        public bool This { get; private set; }

        public bool ThroughLocalFunctions { get; private set; }

        public static Captures Of(IAnonymousFunctionOperation lambda)
        {
            var captures = new Captures();
            captures.Collect(lambda.Body, lambda.Symbol, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), viaLocalFunction: false);
            return captures;
        }

        private void Collect(IOperation root, IMethodSymbol function, HashSet<IMethodSymbol> visitedLocalFunctions, bool viaLocalFunction)
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ILocalReferenceOperation local when !IsDeclaredWithin(local.Local, function):
                        Add(local.Local, viaLocalFunction);
                        break;
                    case IParameterReferenceOperation parameter when !IsDeclaredWithin(parameter.Parameter, function):
                        if (parameter.Parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor } && !IsWithinMethod(function, parameter.Parameter.ContainingSymbol))
                        {
                            This = true; // a primary constructor parameter used in a member lives in a field of 'this'
                        }
                        else
                        {
                            Add(parameter.Parameter, viaLocalFunction);
                        }

                        break;
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                        This = true;
                        if (viaLocalFunction) ThroughLocalFunctions = true;
                        break;
                    case IInvocationOperation { TargetMethod: { MethodKind: MethodKind.LocalFunction } target }:
                        CollectLocalFunction(target, operation, function, visitedLocalFunctions);
                        break;
                    case IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } target }:
                        CollectLocalFunction(target, operation, function, visitedLocalFunctions);
                        break;
                }
            }
        }

        private void CollectLocalFunction(IMethodSymbol localFunction, IOperation use, IMethodSymbol function, HashSet<IMethodSymbol> visited)
        {
            localFunction = localFunction.OriginalDefinition;
            if (localFunction.IsStatic || IsDeclaredWithin(localFunction, function) || !visited.Add(localFunction)) return;
            if (use.SemanticModel is not { } model) return;

            foreach (var reference in localFunction.DeclaringSyntaxReferences)
            {
                if (model.SyntaxTree != reference.SyntaxTree) continue;
                if (model.GetOperation(reference.GetSyntax()) is not ILocalFunctionOperation declaration) continue;

                // What the local function captures from outside itself, and that is also outside the lambda.
                var inner = new Captures();
                var body = (IOperation?)declaration.Body ?? declaration.IgnoredBody;
                if (body is not null) inner.Collect(body, localFunction, visited, viaLocalFunction: true);
                foreach (var variable in inner.Variables)
                {
                    if (!IsDeclaredWithin(variable, function)) Add(variable, viaLocalFunction: true);
                }

                if (inner.This)
                {
                    This = true;
                    ThroughLocalFunctions = true;
                }
            }
        }

        private void Add(ISymbol variable, bool viaLocalFunction)
        {
            Variables.Add(variable);
            if (viaLocalFunction) ThroughLocalFunctions = true;
        }

        /// <summary>True when <paramref name="symbol"/> belongs to <paramref name="function"/> or to a function nested in it.</summary>
        private static bool IsDeclaredWithin(ISymbol symbol, IMethodSymbol function)
        {
            for (var container = symbol.ContainingSymbol; container is not null and not ITypeSymbol; container = container.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(container, function)) return true;
            }

            return false;
        }

        private static bool IsWithinMethod(IMethodSymbol function, ISymbol method)
        {
            for (ISymbol? container = function; container is not null and not ITypeSymbol; container = container.ContainingSymbol)
            {
                if (SymbolEqualityComparer.Default.Equals(container, method)) return true;
            }

            return false;
        }
    }
}
