using System;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ProfilingKit.Generators;

/// <summary>
/// The MSBuild properties that decide whether an app starts the endpoint, as the compiler sees them
/// through <c>CompilerVisibleProperty</c>. Equatable, so an edit that leaves them alone stops the pipeline here.
/// </summary>
internal readonly struct DebugPprofBuildSettings : IEquatable<DebugPprofBuildSettings>
{
    internal const string DefaultAddress = "127.0.0.1:6060";

    public DebugPprofBuildSettings(bool isEnabled, string address, bool isApplication, bool isTestProject, bool startsListener = true)
    {
        IsEnabled = isEnabled;
        StartsListener = startsListener;
        Address = address;
        IsApplication = isApplication;
        IsTestProject = isTestProject;
    }

    /// <summary><c>EnableDebugPprof</c> is <c>true</c>.</summary>
    public bool IsEnabled { get; }

    /// <summary><c>DebugPprofAddress</c>, or <see cref="DefaultAddress"/> when it is empty.</summary>
    public string Address { get; }

    /// <summary><c>DebugPprofListener</c> is not <c>false</c>: the standalone listener starts with sampling.</summary>
    public bool StartsListener { get; }

    /// <summary><c>OutputType</c> is <c>Exe</c> or <c>WinExe</c>: a library has no start-up of its own to hook.</summary>
    public bool IsApplication { get; }

    /// <summary>
    /// <c>IsTestProject</c> or <c>IsTestingPlatformApplication</c> is <c>true</c>: test runs are profiled by
    /// the build targets, not by an endpoint. Microsoft.Testing.Platform test apps (xunit.v3, MSTest
    /// runner) are executables that often leave IsTestProject unset.
    /// </summary>
    public bool IsTestProject { get; }

    public bool WantsEndpoint => IsEnabled && IsApplication && !IsTestProject;

    /// <summary>A profiled test project: its samples are labelled with the test they ran in.</summary>
    public bool WantsTestLabels => IsEnabled && IsTestProject;

    public static DebugPprofBuildSettings FromGlobalOptions(AnalyzerConfigOptions options)
    {
        // A CompilerVisibleProperty the project does not set arrives as present with an empty value.
        var address = Read(options, "DebugPprofAddress");
        var outputType = Read(options, "OutputType");
        return new DebugPprofBuildSettings(
            isEnabled: IsTrue(Read(options, "EnableDebugPprof")),
            address: address.Length == 0 ? DefaultAddress : address,
            isApplication: string.Equals(outputType, "Exe", StringComparison.OrdinalIgnoreCase)
                || string.Equals(outputType, "WinExe", StringComparison.OrdinalIgnoreCase),
            isTestProject: IsTrue(Read(options, "IsTestProject")) || IsTrue(Read(options, "IsTestingPlatformApplication")),
            startsListener: !string.Equals(Read(options, "DebugPprofListener"), "false", StringComparison.OrdinalIgnoreCase));
    }

    public bool Equals(DebugPprofBuildSettings other) =>
        IsEnabled == other.IsEnabled
        && string.Equals(Address, other.Address, StringComparison.Ordinal)
        && IsApplication == other.IsApplication
        && IsTestProject == other.IsTestProject
        && StartsListener == other.StartsListener;

    public override bool Equals(object? obj) => obj is DebugPprofBuildSettings other && Equals(other);

    public override int GetHashCode()
    {
        unchecked
        {
            var hash = StringComparer.Ordinal.GetHashCode(Address ?? string.Empty);
            hash = (hash * 31) + (IsEnabled ? 1 : 0);
            hash = (hash * 31) + (IsApplication ? 1 : 0);
            hash = (hash * 31) + (IsTestProject ? 1 : 0);
            return (hash * 31) + (StartsListener ? 1 : 0);
        }
    }

    private static string Read(AnalyzerConfigOptions options, string property) =>
        options.TryGetValue("build_property." + property, out var value) ? value.Trim() : string.Empty;

    private static bool IsTrue(string value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
}
