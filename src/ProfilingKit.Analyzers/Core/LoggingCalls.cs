using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// Calls that write a log message, whose arguments the allocation rules leave to the .NET analyzers:
/// CA1848 (use LoggerMessage) removes the params array, the boxes and the formatting at once, and
/// CA2254 keeps the template constant; a log call on every pass of a loop is a log volume problem
/// before it is an allocation one. Cold by default, hot again with
/// <c>profilingkit.logging_calls_are_hot = true</c>.
/// </summary>
/// <remarks>
/// A logging call is a method of a logger interface (Microsoft.Extensions.Logging's ILogger and so
/// ILogger&lt;T&gt;, Serilog's ILogger, NLog's ILogger, log4net's ILog) or of a type that implements
/// one, or an extension method called on such a logger (LoggerExtensions' LogInformation, LogDebug...,
/// a project's own). What is cold is what its arguments evaluate, not the logger an extension method
/// is called on; an allocation made before the call and only passed in is still reported.
/// </remarks>
internal static class LoggingCalls
{
    public const string LoggingCallsAreHotKey = "profilingkit.logging_calls_are_hot";

    public static bool AreHot(AnalyzerOptions options, SyntaxTree tree) => ConfigOptions.IsOn(options, tree, LoggingCallsAreHotKey);

    /// <summary>Whether <paramref name="argument"/> of <paramref name="invocation"/> is what a logging call logs.</summary>
    public static bool IsLoggedArgument(IInvocationOperation invocation, IArgumentOperation argument)
    {
        var method = invocation.TargetMethod;
        if (method.IsExtensionMethod)
        {
            return method.Parameters.Length > 0 && argument.Parameter is not { Ordinal: 0 } && IsLogger(method.Parameters[0].Type);
        }

        return method.ContainingType is { } type && IsLogger(type);
    }

    private static bool IsLogger(ITypeSymbol type)
    {
        if (IsLoggerInterface(type)) return true;
        foreach (var implemented in type.AllInterfaces)
        {
            if (IsLoggerInterface(implemented)) return true;
        }

        return false;
    }

    private static bool IsLoggerInterface(ITypeSymbol type) => type is INamedTypeSymbol { TypeKind: TypeKind.Interface } named && named.Name switch
    {
        "ILogger" => named.ContainingNamespace is { Name: "Logging", ContainingNamespace: { Name: "Extensions", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } } }
            or { Name: "Serilog" or "NLog", ContainingNamespace.IsGlobalNamespace: true },
        "ILog" => named.ContainingNamespace is { Name: "log4net", ContainingNamespace.IsGlobalNamespace: true },
        _ => false,
    };
}
