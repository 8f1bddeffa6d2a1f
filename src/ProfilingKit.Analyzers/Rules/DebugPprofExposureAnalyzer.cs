using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ProfilingKit.Analyzers;

/// <summary>
/// PK2001: the build wires the /debug/pprof/ endpoint into an app (EnableDebugPprof) in an optimized
/// (Release) build, or binds it to an address other machines can reach (DebugPprofAddress). Reads the
/// same build properties as the source generator and reports only when the generator starts the
/// endpoint: an executable, not a test project (VSTest or Microsoft.Testing.Platform, where the
/// property turns on test profiles instead), referencing the ProfilingKit runtime.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DebugPprofExposureAnalyzer : DiagnosticAnalyzer
{
    internal const string DefaultAddress = "127.0.0.1:6060";

    internal static readonly DiagnosticDescriptor Rule = RuleDescriptors.Create(
        RuleIdentifiers.DebugPprofExposure,
        "The debug pprof endpoint is exposed",
        "EnableDebugPprof is true {0}",
        RuleCategories.Diagnostics,
        DiagnosticSeverity.Warning,
        "The /debug/pprof/ endpoint serves profiles that reveal code, data and the process command line, and can start CPU and trace sessions. It belongs in development builds, bound to loopback. In an optimized (Release) build it ships to production; on a non-loopback address anyone who can reach the port can read it.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    /// <summary>The class of the generated <c>app.MapDebugPprof()</c> (ProfilingKit.Generators' MapDebugPprofSource).</summary>
    internal const string MapDebugPprofClass = "Microsoft.AspNetCore.Builder.ProfilingKitDebugPprofEndpointRouteBuilderExtensions";

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(AnalyzeCompilation);
        context.RegisterOperationAction(AnalyzeMapDebugPprof, OperationKind.Invocation);
    }

    /// <summary>
    /// In an optimized build, a <c>MapDebugPprof()</c> whose endpoint (or group) requires no
    /// authorization serves the profiles to anyone who can reach the app's port. One that requires
    /// it is what a production service should do, and is not reported.
    /// </summary>
    private static void AnalyzeMapDebugPprof(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.Name != "MapDebugPprof" || invocation.TargetMethod.ContainingType?.ToDisplayString() != MapDebugPprofClass) return;
        if (context.Compilation.Options.OptimizationLevel != OptimizationLevel.Release) return;
        if (RequiresAuthorization(invocation)) return;

        context.ReportDiagnostic(Diagnostic.Create(Rule, invocation.Syntax.GetLocation(),
            "and MapDebugPprof() requires no authorization in an optimized (Release) build: anyone who can reach the app can read the profiles; add .RequireAuthorization(...) to it or to its group"));
    }

    /// <summary>RequireAuthorization on the endpoint (a call the result flows into) or on the group it is mapped on (a call its receiver comes from).</summary>
    private static bool RequiresAuthorization(IInvocationOperation mapDebugPprof)
    {
        for (var parent = mapDebugPprof.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IInvocationOperation call && IsRequireAuthorization(call)) return true;
            if (parent is not (IArgumentOperation or IInvocationOperation or IConversionOperation)) break;
        }

        for (IOperation? receiver = ReceiverOf(mapDebugPprof); receiver is not null; receiver = receiver is IInvocationOperation call ? ReceiverOf(call) : null)
        {
            while (receiver is IConversionOperation conversion) receiver = conversion.Operand;
            if (receiver is IInvocationOperation call && IsRequireAuthorization(call)) return true;
        }

        return false;
    }

    private static IOperation? ReceiverOf(IInvocationOperation call) =>
        call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);

    private static bool IsRequireAuthorization(IInvocationOperation call) => call.TargetMethod.Name == "RequireAuthorization";

    private static void AnalyzeCompilation(CompilationAnalysisContext context)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
        if (!IsTrue(Read(options, "EnableDebugPprof"))) return;

        // DebugPprofListener=false: no listener of its own; MapDebugPprof's calls are judged where they are.
        if (Read(options, "DebugPprofListener").Equals("false", StringComparison.OrdinalIgnoreCase)) return;

        // The generator starts the endpoint only in an executable that is not a test project and
        // references the runtime library; anywhere else the property does nothing to report.
        var outputType = Read(options, "OutputType");
        var isApplication = outputType.Equals("Exe", StringComparison.OrdinalIgnoreCase) || outputType.Equals("WinExe", StringComparison.OrdinalIgnoreCase);
        if (!isApplication || IsTrue(Read(options, "IsTestProject")) || IsTrue(Read(options, "IsTestingPlatformApplication"))) return;
        if (context.Compilation.GetTypeByMetadataName("ProfilingKit.DebugPprof") is null) return;

        var address = Read(options, "DebugPprofAddress");
        if (address.Length == 0) address = DefaultAddress;
        if (address.Equals("off", StringComparison.OrdinalIgnoreCase)) return;
        if (!TryGetHost(address, out var host)) return; // the runtime rejects it and does not start the endpoint

        // Optimize=true (the Release configuration's default) is what reaches the compiler.
        var isOptimized = context.Compilation.Options.OptimizationLevel == OptimizationLevel.Release;
        var isLoopback = IsLoopback(host);
        if (isLoopback && !isOptimized) return;

        var what = (isOptimized, isLoopback) switch
        {
            (true, true) => $"in an optimized (Release) build: the /debug/pprof/ endpoint ships and starts on '{address}'; enable it for Debug only",
            (true, false) => $"in an optimized (Release) build, and DebugPprofAddress '{address}' is not a loopback address: other machines can read the profiles; enable it for Debug only, on 127.0.0.1",
            _ => $"and DebugPprofAddress '{address}' is not a loopback address: other machines can read the profiles; bind 127.0.0.1 or localhost",
        };
        context.ReportDiagnostic(Diagnostic.Create(Rule, Location.None, what));
    }

    /// <summary>The host of <c>host:port</c>, as the runtime parses it; false when the runtime would reject the address.</summary>
    internal static bool TryGetHost(string address, out string host)
    {
        host = string.Empty;
        var text = address.Trim();
        var colon = text.LastIndexOf(':');
        if (colon < 0 || (text.StartsWith("[", StringComparison.Ordinal) && text.IndexOf(']') > colon)) return false;
        if (!int.TryParse(text.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) return false;

        var candidate = text.Substring(0, colon);
        if (candidate.IndexOf(':') >= 0 && !(candidate.StartsWith("[", StringComparison.Ordinal) && candidate.EndsWith("]", StringComparison.Ordinal))) return false;

        host = candidate;
        return true;
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1. An empty host (":6060"), 0.0.0.0, *, +, [::] and any other name are reachable from elsewhere.</summary>
    internal static bool IsLoopback(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;

        var unbracketed = host.Length > 1 && host[0] == '[' && host[host.Length - 1] == ']' ? host.Substring(1, host.Length - 2) : host;
        if (!IPAddress.TryParse(unbracketed, out var ip)) return false;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();

        return ip.AddressFamily == AddressFamily.InterNetwork
            ? ip.GetAddressBytes()[0] == 127
            : ip.Equals(IPAddress.IPv6Loopback);
    }

    private static string Read(AnalyzerConfigOptions options, string property) =>
        options.TryGetValue("build_property." + property, out var value) ? value.Trim() : string.Empty;

    private static bool IsTrue(string value) => value.Equals("true", StringComparison.OrdinalIgnoreCase);
}
