using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ProfilingKit.Testing;

/// <summary>
/// The Microsoft.NETCore.App reference assemblies this test project was built against (directory recorded by the
/// csproj), loaded once and shared by every test compilation.
/// </summary>
internal static class NetCoreAppReferences
{
    public static ImmutableArray<MetadataReference> All { get; } = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        var directory = typeof(NetCoreAppReferences).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "NetCoreAppReferenceDirectory")?.Value;
        if (string.IsNullOrEmpty(directory) || !File.Exists(Path.Combine(directory, "System.Runtime.dll")))
        {
            throw new InvalidOperationException(
                $"No Microsoft.NETCore.App reference pack at '{directory}': rebuild the test project.");
        }

        return [.. Directory.GetFiles(directory, "*.dll").Order(StringComparer.Ordinal).Select(path => MetadataReference.CreateFromFile(path))];
    }
}
