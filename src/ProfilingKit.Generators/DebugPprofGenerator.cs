using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ProfilingKit.Generators;

/// <summary>
/// The analogue of Go's <c>import _ "net/http/pprof"</c>: when an app sets <c>EnableDebugPprof</c>,
/// emits a module initializer that starts the <c>/debug/pprof/</c> endpoint before <c>Main</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DebugPprofGenerator : IIncrementalGenerator
{
    private const string DebugPprofMetadataName = "ProfilingKit.DebugPprof";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var settings = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => DebugPprofBuildSettings.FromGlobalOptions(options.GlobalOptions))
            .WithTrackingName(DebugPprofTrackingNames.BuildSettings);

        // The compilation changes on every edit; only this bool may reach the nodes after it.
        var runtimeReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(DebugPprofMetadataName) is not null)
            .WithTrackingName(DebugPprofTrackingNames.RuntimeReferenced);

        var startAddress = settings
            .Combine(runtimeReferenced)
            .Select(static (input, _) => input.Right && input.Left.WantsEndpoint ? input.Left.Address : null)
            .WithTrackingName(DebugPprofTrackingNames.StartAddress);

        context.RegisterSourceOutput(startAddress, static (output, address) =>
        {
            if (address is null)
            {
                return;
            }

            output.AddSource(
                DebugPprofModuleInitializerSource.HintName,
                SourceText.From(DebugPprofModuleInitializerSource.Render(address), Encoding.UTF8));
        });
    }
}
