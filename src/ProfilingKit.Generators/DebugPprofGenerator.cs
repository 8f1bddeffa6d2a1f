using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ProfilingKit.Generators;

/// <summary>
/// The analogue of Go's <c>import _ "net/http/pprof"</c>: when an app sets <c>EnableDebugPprof</c>,
/// emits a module initializer that starts the <c>/debug/pprof/</c> endpoint before <c>Main</c>.
/// Every app with the package also gets a tiny initializer that honours <c>PROFILINGKIT_GCTRACE=1</c>,
/// as every Go program honours <c>GODEBUG=gctrace=1</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DebugPprofGenerator : IIncrementalGenerator
{
    private const string DebugPprofMetadataName = "ProfilingKit.DebugPprof";
    private const string GcTraceMetadataName = "ProfilingKit.GcTrace";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var settings = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => DebugPprofBuildSettings.FromGlobalOptions(options.GlobalOptions))
            .WithTrackingName(DebugPprofTrackingNames.BuildSettings);

        // The compilation changes on every edit; only these bools may reach the nodes after it. Each
        // looks into the compilation only where the build properties ask for its output: a type lookup
        // binds the compilation's references, which in a build the generator would be the first to pay
        // for. A library, or a project that is neither (no endpoint wanted, not an app), reads its
        // properties and nothing else.
        var runtimeReferenced = settings
            .Combine(context.CompilationProvider)
            .Select(static (input, _) => input.Left.WantsEndpoint && input.Right.GetTypeByMetadataName(DebugPprofMetadataName) is not null)
            .WithTrackingName(DebugPprofTrackingNames.RuntimeReferenced);

        var startAddress = settings
            .Combine(runtimeReferenced)
            .Select(static (input, _) => input.Right && input.Left.WantsEndpoint ? (input.Left.Address, input.Left.StartsListener) : ((string Address, bool StartsListener)?)null)
            .WithTrackingName(DebugPprofTrackingNames.StartAddress);

        context.RegisterSourceOutput(startAddress, static (output, start) =>
        {
            if (start is not { } wanted)
            {
                return;
            }

            output.AddSource(
                DebugPprofModuleInitializerSource.HintName,
                SourceText.From(DebugPprofModuleInitializerSource.Render(wanted.Address, wanted.StartsListener), Encoding.UTF8));
        });

        // ASP.NET Core apps also get app.MapDebugPprof(): only they reference the routing types it extends,
        // so a console or worker app never sees (or needs) the framework.
        // The lookup runs only where the endpoint is wanted: elsewhere the step reads one bool.
        var aspNetCoreReferenced = context.CompilationProvider
            .Combine(settings)
            .Select(static (input, _) => input.Right.WantsEndpoint && input.Left.GetTypeByMetadataName(MapDebugPprofSource.EndpointRouteBuilderMetadataName) is not null)
            .WithTrackingName(DebugPprofTrackingNames.AspNetCoreReferenced);

        var mapDebugPprof = startAddress
            .Combine(aspNetCoreReferenced)
            .Select(static (input, _) => input.Left is not null && input.Right)
            .WithTrackingName(DebugPprofTrackingNames.MapDebugPprofWanted);

        context.RegisterSourceOutput(mapDebugPprof, static (output, wanted) =>
        {
            if (wanted)
            {
                output.AddSource(MapDebugPprofSource.HintName, SourceText.From(MapDebugPprofSource.Render(), Encoding.UTF8));
            }
        });

        // A profiled test project labels each test's samples with its name (issue 18): one hook per test
        // framework it references. Elsewhere the step reads one bool.
        var testFrameworks = settings
            .Combine(context.CompilationProvider)
            .Select(static (input, _) => input.Left.WantsTestLabels ? TestLabelsSource.FrameworksOf(input.Right) : TestFrameworks.None)
            .WithTrackingName(DebugPprofTrackingNames.TestFrameworks);

        context.RegisterSourceOutput(testFrameworks, static (output, frameworks) =>
        {
            if (frameworks != TestFrameworks.None)
            {
                output.AddSource(TestLabelsSource.HintName, SourceText.From(TestLabelsSource.Render(frameworks), Encoding.UTF8));
            }
        });

        // Every app honours PROFILINGKIT_GCTRACE, EnableDebugPprof or not (docs/gctrace.md): in an app,
        // and only there, this looks the runtime's GcTrace up.
        var gcTraceReferenced = settings
            .Combine(context.CompilationProvider)
            .Select(static (input, _) => input.Left.IsApplication && input.Right.GetTypeByMetadataName(GcTraceMetadataName) is not null)
            .WithTrackingName(DebugPprofTrackingNames.GcTraceReferenced);

        // Not gated on EnableDebugPprof: the variable is the switch, read at run time.
        var traceGc = settings
            .Combine(gcTraceReferenced)
            .Select(static (input, _) => input.Right && input.Left.IsApplication)
            .WithTrackingName(DebugPprofTrackingNames.GcTraceWanted);

        context.RegisterSourceOutput(traceGc, static (output, wanted) =>
        {
            if (wanted)
            {
                output.AddSource(GcTraceModuleInitializerSource.HintName, SourceText.From(GcTraceModuleInitializerSource.Render(), Encoding.UTF8));
            }
        });
    }
}
