using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Loops that wait on every iteration: a worker's <c>while (!token.IsCancellationRequested) { ...;
/// await Task.Delay(1000, token); }</c>, a timer's <c>while (await timer.WaitForNextTickAsync())</c>, a
/// channel's <c>await foreach (var item in reader.ReadAllAsync())</c>. Paced by the clock, a device
/// or a producer, they run a handful of times per second, so what they allocate is not hot: cold by
/// default, hot again with <c>profilingkit.waiting_loops_are_hot = true</c>.
/// </summary>
/// <remarks>
/// A loop waits when its condition, or a statement of its body that runs on every iteration
/// (<see cref="EveryIteration"/>), awaits a waiting call or calls Thread.Sleep. Waiting calls:
/// Task.Delay, PeriodicTimer.WaitForNextTickAsync, ChannelReader's ReadAsync, WaitToReadAsync and ReadAllAsync, and the *Async methods of types in
/// System.IO and System.Net (streams, readers, pipes, sockets, HTTP).
/// </remarks>
internal static class WaitingLoops
{
    public const string WaitingLoopsAreHotKey = "profilingkit.waiting_loops_are_hot";

    public static bool AreHot(AnalyzerOptions options, SyntaxTree tree) => ConfigOptions.IsOn(options, tree, WaitingLoopsAreHotKey);

    public static bool Waits(ILoopOperation loop) =>
        loop is IForEachLoopOperation { IsAsynchronous: true } forEach && IsWaitingCall(StringConcatenation.WithoutImplicitConversions(forEach.Collection))
        || EveryIteration.Does(loop, IsWait);

    /// <summary>An await of a waiting call, or Thread.Sleep.</summary>
    private static bool IsWait(IOperation operation) => operation switch
    {
        IAwaitOperation await => IsWaitingCall(Awaited(await.Operation)),
        IInvocationOperation { TargetMethod: { Name: "Sleep", ContainingType: { Name: "Thread", ContainingNamespace.Name: "Threading" } } } => true,
        _ => false,
    };

    /// <summary>The awaited call, through ConfigureAwait and implicit conversions.</summary>
    private static IOperation Awaited(IOperation operation)
    {
        operation = StringConcatenation.WithoutImplicitConversions(operation);
        while (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
        {
            operation = StringConcatenation.WithoutImplicitConversions(instance);
        }

        return operation;
    }

    private static bool IsWaitingCall(IOperation operation)
    {
        if (operation is not IInvocationOperation { TargetMethod: var method }) return false;

        var type = method.ContainingType;
        switch (method.Name)
        {
            case "Delay" when type is { Name: "Task", ContainingNamespace.Name: "Tasks" }:
            case "WaitForNextTickAsync" when type is { Name: "PeriodicTimer" }:
            case "ReadAsync" or "WaitToReadAsync" or "ReadAllAsync" when type is { Name: "ChannelReader" }:
                return true;
        }

        return method.Name.EndsWith("Async", StringComparison.Ordinal) && IsInIoNamespace(type?.ContainingNamespace);
    }

    /// <summary>System.IO, System.Net and the namespaces under them.</summary>
    private static bool IsInIoNamespace(INamespaceSymbol? ns)
    {
        for (; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (ns.Name is "IO" or "Net" && ns.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true }) return true;
        }

        return false;
    }
}
