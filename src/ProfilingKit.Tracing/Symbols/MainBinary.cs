using System.Reflection;

namespace ProfilingKit.Symbols;

/// <summary>
/// The file a profile's one mapping names (pprof's <c>File:</c>): the main binary's absolute path, as
/// Go names it (the executable's path). pprof's <c>-focus</c>, <c>-ignore</c>, <c>-show</c> and
/// <c>-hide</c> match a location's mapping file as well as its function's name and file, so a bare
/// name such as <c>MyCompany.Tests</c> would make <c>-focus='^MyCompany\.'</c> keep every sample and
/// <c>-ignore='^MyCompany\.Tests\.'</c> drop them all. An absolute path starts with <c>/</c> (or a
/// drive), which no pattern anchored at a namespace matches; pprof shows only its file name.
/// </summary>
internal static class MainBinary
{
    /// <summary>This process's: its entry assembly, or for a single-file app (whose assembly has no path) its executable.</summary>
    public static string OfThisProcess()
    {
        var entryAssembly = Assembly.GetEntryAssembly()?.Location;
        return string.IsNullOrEmpty(entryAssembly) ? Environment.ProcessPath ?? "dotnet" : entryAssembly;
    }

    /// <summary>
    /// A process's, from its command line: the app's <c>.dll</c> where a host runs one (<c>dotnet exec app.dll</c>,
    /// <c>dotnet app.dll</c>), else the executable. Null for an empty command line. The runtime reports the
    /// arguments joined by spaces, so a path with a space in it is cut there.
    /// </summary>
    public static string? FromCommandLine(string commandLine)
    {
        var arguments = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (arguments.Length == 0) return null;

        return Array.Find(arguments, argument => argument.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) ?? arguments[0];
    }
}
