using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.Threads;

namespace ProfilingKit.EventPipe;

/// <summary>
/// The process a profiler traces: this one (the endpoint compiled into an app), or another .NET
/// process attached from outside through its diagnostic port (<c>dotnet pprof collect</c> and
/// <c>serve</c>). Everything else is the same code: the sessions, samplers, symbols and profiles
/// only ask this for the target's diagnostics client, its name, its threads and its settings.
/// </summary>
internal sealed class ProfiledProcess
{
    private ProfiledProcess(int processId, bool isSelf, DiagnosticsClient client, string mainBinary)
    {
        ProcessId = processId;
        IsSelf = isSelf;
        Client = client;
        MainBinary = mainBinary;
        Directory = isSelf ? "/proc/self" : "/proc/" + processId.ToString(CultureInfo.InvariantCulture);
        Tasks = new ProcTask(Directory);
    }

    /// <summary>This process, through its own diagnostic port.</summary>
    public static ProfiledProcess Self() =>
        new(Environment.ProcessId, isSelf: true, new DiagnosticsClient(Environment.ProcessId), Symbols.MainBinary.OfThisProcess());

    /// <summary>Another process of this machine, through <paramref name="client"/> (its diagnostic port, found by id or given by path).</summary>
    public static ProfiledProcess Attached(int processId, DiagnosticsClient client, string mainBinary) => new(processId, isSelf: false, client, mainBinary);

    public int ProcessId { get; }

    /// <summary>True for this process: its profiles then leave out ProfilingKit's own threads, which an attached process does not have.</summary>
    public bool IsSelf { get; }

    public DiagnosticsClient Client { get; }

    /// <summary>The profiles' mapping file (<see cref="Symbols.MainBinary"/>; pprof shows its name as <c>File:</c>): the entry assembly's path, or the attached process's binary.</summary>
    public string MainBinary { get; }

    /// <summary>Its folder in /proc: <c>/proc/self</c> or <c>/proc/PID</c>.</summary>
    public string Directory { get; }

    /// <summary>What the kernel says of its threads.</summary>
    public ProcTask Tasks { get; }

    /// <summary>
    /// True when the process runs with its diagnostic port turned off (DOTNET_EnableDiagnostics=0, or
    /// _IPC=0), as its environment at start-up says: then no session can start, from inside or out.
    /// </summary>
    public bool IsDiagnosticPortDisabled =>
        Setting("DOTNET_EnableDiagnostics") == "0" || Setting("DOTNET_EnableDiagnostics_IPC") == "0";

    /// <summary>Its command line, one argument each; empty where it cannot be read.</summary>
    public IReadOnlyList<string> CommandLine()
    {
        if (IsSelf) return Environment.GetCommandLineArgs();

        try
        {
            return File.ReadAllText(Directory + "/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>
    /// A variable of its environment at start-up: this process's own, or, attached, the one /proc
    /// keeps (readable by its owner), which is what its runtime read its settings from.
    /// </summary>
    public string? Setting(string name)
    {
        if (IsSelf) return Environment.GetEnvironmentVariable(name);

        try
        {
            var prefix = name + "=";
            return File.ReadAllText(Directory + "/environ", Encoding.UTF8)
                .Split('\0')
                .LastOrDefault(entry => entry.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
