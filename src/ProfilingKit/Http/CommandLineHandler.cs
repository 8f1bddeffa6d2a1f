using System.Net;

namespace ProfilingKit.Http;

/// <summary>
/// <c>cmdline</c>: the process's arguments separated by NUL, as Go's. Off unless enabled, because
/// command lines carry connection strings and keys often enough.
/// </summary>
internal sealed class CommandLineHandler
{
    private readonly bool _enabled;
    private readonly Func<IReadOnlyList<string>> _commandLine;

    /// <param name="enabled">Whether it serves the command line at all.</param>
    /// <param name="commandLine">The profiled process's arguments.</param>
    public CommandLineHandler(bool enabled, Func<IReadOnlyList<string>> commandLine)
    {
        _enabled = enabled;
        _commandLine = commandLine;
    }

    public string Description => _enabled
        ? "The command line invocation of the current program"
        : $"The command line invocation of the current program (off: it can hold secrets; set {PprofEndpointSettings.CommandLineVariable}=1 to serve it)";

    public PprofReply Serve(PprofRequest request, CancellationToken cancel)
    {
        if (!_enabled)
        {
            throw new PprofRequestException(
                HttpStatusCode.Forbidden,
                $"cmdline is off because a command line can hold secrets; set {PprofEndpointSettings.CommandLineVariable}=1 (or DebugPprofOptions.ExposeCommandLine) to serve it");
        }

        return PprofReply.Text(string.Join('\0', _commandLine()), "text/plain; charset=utf-8");
    }
}
