using ProfilingKit.Pprof.Proto;

namespace ProfilingKit.Tool;

/// <summary>
/// One run of <c>dotnet pprof</c>: parses the command line, reads the profiles and runs the command,
/// writing reports to <see cref="Out"/> and progress and errors to <see cref="Status"/>. Tests run it
/// in process; <see cref="Program"/> runs it on the console.
/// </summary>
internal sealed class Tool(TextWriter output, TextWriter status, bool interactive)
{
    public TextWriter Out { get; } = output;

    public TextWriter Status { get; } = status;

    /// <summary>True when <see cref="Status"/> is a terminal: progress updates in place there.</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>Ends a server the command runs (<c>-http</c>): Ctrl+C on the console, the test's cancellation in process.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Opens a file in a browser (<c>web</c>); false when none could be started. Tests replace it, so no browser opens on their machine.</summary>
    public Func<string, bool> OpenBrowser { get; init; } = FlameGraphCommand.OpenWithSystemBrowser;

    /// <summary>Runs the command line; returns the exit code (0, or 1 after one line on <see cref="Status"/>).</summary>
    public int Run(IReadOnlyList<string> arguments)
    {
        try
        {
            var options = ToolOptions.Parse(arguments);
            switch (options.Command)
            {
                case "flame" or "web":
                    return new FlameGraphCommand(this).Run(options);
                case "help":
                    Out.Write(Usage.Text);
                    return 0;
                case "convert":
                    return ConvertCommand.Run(this, options);
                case "top" or "diff":
                    return TopCommand.Run(this, options);
                case "traces":
                    return TracesCommand.Run(this, options);
                case "tags":
                    return TagsCommand.Run(this, options);
                case "peek":
                    return PeekCommand.Run(this, options);
                case "list":
                    return ListCommand.Run(this, options);
                case "collect":
                    return CollectCommand.Run(this, options);
                case "serve":
                    return ServeCommand.Run(this, options);
                case "ps":
                    return PsCommand.Run(this, options);
                default:
                    throw new ToolException($"{options.Command} is not a command; `dotnet pprof -help` lists them");
            }
        }
        catch (ToolException e)
        {
            Status.WriteLine("dotnet-pprof: " + e.Message);
            return 1;
        }
    }

    /// <summary>Reads the one profile the command works on.</summary>
    public Profile LoadSingle(ToolOptions options)
    {
        if (options.Sources.Count != 1)
        {
            throw new ToolException(options.Sources.Count == 0
                ? $"{options.Command} needs a profile: a file, or a URL such as http://127.0.0.1:6060/debug/pprof/allocs"
                : $"{options.Command} reads one profile, not {options.Sources.Count}");
        }

        return new ProfileSources(Status, Interactive).Load(options.Sources[0], options.Seconds);
    }
}
