using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.NETCore.Client;
using ProfilingKit.EventPipe;

namespace ProfilingKit.Tool;

/// <summary>
/// The running .NET process <c>collect</c> and <c>serve</c> attach to, by <c>-p PID</c>, <c>-n NAME</c>
/// or <c>--diagnostic-port PATH</c>, checked first so that each reason it cannot be profiled is one
/// line for the person at the terminal: no such process, another user's, not .NET or its diagnostic
/// port disabled, a runtime older than .NET 10 (<see cref="RequireAllocationSampling"/>).
/// </summary>
internal sealed class AttachTarget : IDisposable
{
    /// <summary>What works on a runtime without AllocationSampled, for the error that says allocs does not.</summary>
    public const string WorksWithoutAllocationSampling =
        "collect profile, wall, goroutine, block, mutex, heap (live objects by type, no allocation stacks) and trace still work";

    private readonly DiagnosticsClientConnector? _connector;

    private AttachTarget(ProfiledProcess process, string description, Version? runtime, DiagnosticsClientConnector? connector)
    {
        Process = process;
        Description = description;
        RuntimeVersion = runtime;
        _connector = connector;
    }

    public ProfiledProcess Process { get; }

    /// <summary><c>process 1234 (App)</c>, as messages name it.</summary>
    public string Description { get; }

    /// <summary>The target's .NET runtime version, where its loaded libcoreclr says it; null when unknown.</summary>
    public Version? RuntimeVersion { get; }

    /// <summary>True while the process runs, as far as this machine can tell (always, for a bare diagnostic port).</summary>
    public bool IsRunning => Process.ProcessId == 0 || Directory.Exists(Process.Directory);

    /// <exception cref="ToolException">No target was named, or it cannot be attached to; the message says why.</exception>
    public static AttachTarget Open(ToolOptions options)
    {
        if (options.DiagnosticPort is { } port) return OpenPort(port, options.ProcessId);
        if (options.ProcessId is { } id) return OpenProcess(id);
        if (options.ProcessName is { } name) return OpenProcess(FindByName(name));

        throw new ToolException($"{options.Command} needs a process: -p PID, -n NAME or --diagnostic-port PATH (`dotnet pprof ps` lists them)");
    }

    /// <summary>Fails unless the target's runtime samples allocations (.NET 10 and later), saying what still works.</summary>
    /// <exception cref="ToolException">The runtime is older than .NET 10.</exception>
    public void RequireAllocationSampling(string what)
    {
        if (RuntimeVersion is { Major: < 10 } version)
        {
            throw new ToolException(
                $"{Description} runs .NET {version}, which has no allocation sampling (AllocationSampled came in .NET 10), so {what} cannot be had from it; {WorksWithoutAllocationSampling}");
        }
    }

    public void Dispose() => _connector?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The .NET processes of this machine that publish a diagnostic port, by id, with their names, as <c>dotnet-trace ps</c> lists them.</summary>
    public static IReadOnlyList<(int Id, string Name)> Published() =>
        DiagnosticsClient.GetPublishedProcesses()
            .Where(id => id != Environment.ProcessId && Directory.Exists(ProcDirectory(id)))
            .Order()
            .Select(id => (id, NameOf(id)))
            .ToList();

    /// <summary>The version of the runtime that libcoreclr at <paramref name="libraryPath"/> belongs to: its folder's name in a shared install, else the version stamped in the library.</summary>
    internal static Version? RuntimeVersionOf(string libraryPath)
    {
        if (Version.TryParse(Path.GetFileName(Path.GetDirectoryName(libraryPath)), out var folder)) return folder;

        // A self-contained app: the library carries "@(#)Version 10.0.1226.42308 @Commit: ...".
        try
        {
            var text = Encoding.Latin1.GetString(File.ReadAllBytes(libraryPath));
            var at = text.IndexOf("@(#)Version ", StringComparison.Ordinal);
            if (at < 0) return null;
            var start = at + "@(#)Version ".Length;
            var end = text.IndexOf(' ', start);
            return end > start && Version.TryParse(text[start..end], out var stamped) ? stamped : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The path of the libcoreclr a process has loaded, from the text of its /proc/PID/maps; null when it has none.</summary>
    internal static string? CoreClrPath(string maps) =>
        maps.Split('\n')
            .Select(line => line.IndexOf('/') is var slash and >= 0 ? line[slash..].Trim() : "")
            .FirstOrDefault(path => Path.GetFileName(path) == "libcoreclr.so");

    private static AttachTarget OpenPort(string port, int? processId)
    {
        // A path of a socket that exists is a runtime's own port (a container's /tmp, mounted): connect to
        // it. Anything else goes as dotnet-trace takes it: PATH,connect or PATH,listen (the default, for a
        // runtime started with DOTNET_DiagnosticPorts=PATH that connects to us).
        var config = port.Contains(',') || !File.Exists(port) ? port : port + ",connect";
        DiagnosticsClientConnector connector;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            connector = DiagnosticsClientConnector.FromDiagnosticPort(config, timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not ToolException)
        {
            throw new ToolException($"cannot use the diagnostic port {port}: {e.Message}", e);
        }

        var id = processId ?? 0;
        var name = id == 0 ? "dotnet" : NameOf(id);
        var description = id == 0 ? $"the process at {port}" : $"process {id} ({name})";
        return new AttachTarget(ProfiledProcess.Attached(id, connector.Instance, id == 0 ? name : BinaryOf(id) ?? name), description, id == 0 ? null : RuntimeOf(id), connector);
    }

    private static AttachTarget OpenProcess(int id)
    {
        if (id <= 0 || !Directory.Exists(ProcDirectory(id))) throw new ToolException($"no process has id {id} (`dotnet pprof ps` lists the .NET processes)");

        var name = NameOf(id);
        var description = $"process {id} ({name})";
        var owner = OwnerOf(ProcDirectory(id));
        var self = OwnerOf("/proc/self");
        if (owner is not null && self is not null && owner != self && self != 0)
        {
            throw new ToolException($"{description} belongs to another user ({UserName(owner.Value)}); run dotnet pprof as that user, or as root");
        }

        var socket = SocketOf(id);
        var maps = ReadOrNull(ProcDirectory(id) + "/maps");
        var coreClr = maps is null ? null : CoreClrPath(maps);
        if (socket is null)
        {
            var target = ProfiledProcess.Attached(id, new DiagnosticsClient(id), BinaryOf(id) ?? name);
            if (coreClr is not null || target.IsDiagnosticPortDisabled)
            {
                throw new ToolException(
                    $"{description} runs .NET with its diagnostic port disabled (DOTNET_EnableDiagnostics=0), so nothing can attach to it; restart it without that setting, or with DOTNET_EnableDiagnostics_IPC=1");
            }

            throw new ToolException($"{description} is not a .NET process with a diagnostic port (`dotnet pprof ps` lists those)");
        }

        var client = new DiagnosticsClient(id);
        return new AttachTarget(ProfiledProcess.Attached(id, client, BinaryOf(id) ?? name), description, coreClr is null ? null : RuntimeVersionOf(coreClr), connector: null);
    }

    private static int FindByName(string name)
    {
        var matches = Published().Where(process => process.Name == name).Select(process => process.Id).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ToolException($"no .NET process is named {name} (`dotnet pprof ps` lists them)"),
            _ => throw new ToolException($"{matches.Count} .NET processes are named {name} (ids {string.Join(", ", matches)}); pick one with -p PID"),
        };
    }


    private static Version? RuntimeOf(int id) => ReadOrNull(ProcDirectory(id) + "/maps") is { } maps && CoreClrPath(maps) is { } path ? RuntimeVersionOf(path) : null;

    /// <summary>The runtime's socket, <c>dotnet-diagnostic-PID-*-socket</c> in the temp folder, as the diagnostics client looks for it.</summary>
    private static string? SocketOf(int id)
    {
        try
        {
            return Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{id.ToString(CultureInfo.InvariantCulture)}-*-socket").FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ProcDirectory(int id) => "/proc/" + id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Its OS name or, for an app the <c>dotnet</c> host runs (<c>dotnet App.dll</c>), the app's.</summary>
    private static string NameOf(int id)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(id);
            if (process.ProcessName == "dotnet" && ReadOrNull(ProcDirectory(id) + "/cmdline")?.Split('\0').FirstOrDefault(argument => argument.EndsWith(".dll", StringComparison.Ordinal)) is { } app)
            {
                return Path.GetFileNameWithoutExtension(app);
            }

            return process.ProcessName;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return "?";
        }
    }

    /// <summary>
    /// Its main binary, the profiles' mapping file (<see cref="Symbols.MainBinary"/>): for an app the <c>dotnet</c> host
    /// runs, the app's .dll, resolved against the process's working directory; else its executable. Null where /proc does not say.
    /// </summary>
    private static string? BinaryOf(int id)
    {
        var executable = LinkTarget(ProcDirectory(id) + "/exe");
        if (executable is null || Path.GetFileName(executable) != "dotnet") return executable;

        var app = ReadOrNull(ProcDirectory(id) + "/cmdline")?.Split('\0').FirstOrDefault(argument => argument.EndsWith(".dll", StringComparison.Ordinal));
        return app is null ? executable : Path.GetFullPath(app, LinkTarget(ProcDirectory(id) + "/cwd") ?? "/");
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The effective user id in /proc/…/status (its "Uid:" line: real, effective, saved, fs); null where it cannot be read.</summary>
    private static int? OwnerOf(string processDirectory)
    {
        var line = ReadOrNull(processDirectory + "/status")?.Split('\n').FirstOrDefault(line => line.StartsWith("Uid:", StringComparison.Ordinal));
        var fields = line?.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: > 2 } && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
    }

    private static string UserName(int uid)
    {
        var entry = ReadOrNull("/etc/passwd")?.Split('\n').Select(line => line.Split(':')).FirstOrDefault(fields => fields.Length > 2 && fields[2] == uid.ToString(CultureInfo.InvariantCulture));
        return entry is null ? $"uid {uid}" : $"{entry[0]}, uid {uid}";
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
