using System.Globalization;
using System.Text.RegularExpressions;

namespace ProfilingKit.Tool;

/// <summary>
/// The command line, in Go's flag syntax because that is what Go users type and what the seed post
/// shows: <c>-name</c> or <c>--name</c>, a value after <c>=</c> or as the next argument, booleans as
/// <c>-cum</c> or <c>-cum=false</c>. Flags may come before or after the command and its arguments;
/// after <c>--</c> everything is an argument. go tool pprof's report flags pick the command as well
/// (<c>-top</c>, <c>-traces</c>, <c>-tags</c>, <c>-list=RE</c>, <c>-peek=RE</c>, <c>-http=ADDR</c>).
/// </summary>
internal sealed class ToolOptions
{
    /// <summary>The commands, each with how many arguments it takes before the profile sources.</summary>
    public static readonly IReadOnlyDictionary<string, int> Commands = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["top"] = 0, ["traces"] = 0, ["tags"] = 0, ["list"] = 1, ["peek"] = 1,
        ["diff"] = 0, ["flame"] = 0, ["web"] = 0, ["convert"] = 0, ["help"] = 0,
        ["collect"] = 1, ["ps"] = 0, ["serve"] = 0,
    };

    /// <summary>The commands that attach to a process: for them <c>-n</c> is the process's name (as in dotnet-trace), not a node count.</summary>
    private static readonly HashSet<string> AttachCommands = new(StringComparer.Ordinal) { "collect", "serve" };

    private static readonly HashSet<string> BooleanFlags = new(StringComparer.Ordinal) { "cum", "flat", "async", "help", "h", "top", "traces", "tags" };

    private static readonly HashSet<string> ValueFlags = new(StringComparer.Ordinal)
    {
        "n", "nodecount", "sample_index", "focus", "ignore", "tagfocus", "tagignore", "seconds", "o", "output", "http", "list", "peek", "diff_base", "profile",
        "p", "process-id", "name", "diagnostic-port", "address",
    };

    private string? _n;

    /// <summary>The command: top unless the command line names another.</summary>
    public string Command { get; private set; } = "top";

    /// <summary>The command's own argument (list's and peek's REGEX), when it takes one.</summary>
    public string? CommandArgument { get; private set; }

    /// <summary>The profiles to read: files or URLs (diff: BASE then NEW; convert: the trace).</summary>
    public List<string> Sources { get; } = [];

    public bool Cumulative { get; private set; }

    /// <summary>Fold .NET's async plumbing into the frames that awaited (on by default, <c>-async=false</c> turns it off).</summary>
    public bool AsyncFolding { get; private set; } = true;

    public int? NodeCount { get; private set; }

    public string? SampleIndex { get; private set; }

    public Regex? Focus { get; private set; }

    public Regex? Ignore { get; private set; }

    public string? TagFocus { get; private set; }

    public string? TagIgnore { get; private set; }

    public int? Seconds { get; private set; }

    public string? Output { get; private set; }

    public string? HttpAddress { get; private set; }

    public string? DiffBase { get; private set; }

    /// <summary>convert's <c>-profile</c>: which profile to make of the trace (allocs, cpu, wall, contention), or null to choose by its events.</summary>
    public string? Profile { get; private set; }

    /// <summary>collect's and serve's <c>-p</c>: the id of the process to attach to.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>collect's and serve's <c>-n</c>: the name of the process to attach to.</summary>
    public string? ProcessName { get; private set; }

    /// <summary>collect's and serve's <c>--diagnostic-port</c>: the path of the runtime's socket (or <c>PATH,listen</c>).</summary>
    public string? DiagnosticPort { get; private set; }

    /// <summary>serve's <c>--address</c>: where the sidecar listens.</summary>
    public string? Address { get; private set; }

    /// <exception cref="ToolException">An unknown flag, a missing or malformed value, a missing argument.</exception>
    public static ToolOptions Parse(IReadOnlyList<string> arguments)
    {
        var options = new ToolOptions();
        var positional = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument == "--")
            {
                positional.AddRange(arguments.Skip(i + 1));
                break;
            }

            if (argument.Length < 2 || argument[0] != '-')
            {
                positional.Add(argument);
                continue;
            }

            var flag = argument.TrimStart('-');
            string? value = null;
            var equals = flag.IndexOf('=');
            if (equals >= 0)
            {
                value = flag[(equals + 1)..];
                flag = flag[..equals];
            }

            if (BooleanFlags.Contains(flag))
            {
                options.SetBoolean(flag, value is null || ParseBoolean(flag, value));
            }
            else if (ValueFlags.Contains(flag))
            {
                if (value is null)
                {
                    if (i + 1 >= arguments.Count) throw new ToolException($"flag -{flag} needs a value");
                    value = arguments[++i];
                }

                options.SetValue(flag, value);
            }
            else
            {
                throw new ToolException($"unknown flag {argument}; `dotnet pprof -help` lists them");
            }
        }

        options.TakeCommand(positional);
        if (options._n is { } n)
        {
            if (AttachCommands.Contains(options.Command)) options.ProcessName = n;
            else options.NodeCount = ParseCount("n", n, minimum: 0);
        }

        return options;
    }

    private void TakeCommand(List<string> positional)
    {
        if (positional.Count > 0 && Commands.TryGetValue(positional[0], out var argumentCount))
        {
            Command = positional[0];
            positional.RemoveAt(0);
            if (argumentCount == 1)
            {
                if (positional.Count == 0) throw new ToolException($"{Command} needs a regular expression: dotnet pprof {Command} REGEX PROFILE");
                CommandArgument = positional[0];
                positional.RemoveAt(0);
            }
        }

        Sources.AddRange(positional);
    }

    private void SetBoolean(string flag, bool value)
    {
        switch (flag)
        {
            case "cum": Cumulative = value; break;
            case "flat": Cumulative = !value; break;
            case "async": AsyncFolding = value; break;
            case "help" or "h": if (value) Command = "help"; break;
            default: if (value) Command = flag; break; // top, traces, tags
        }
    }

    private void SetValue(string flag, string value)
    {
        switch (flag)
        {
            case "n": _n = value; break; // a node count or, for collect and serve, a process name: the command decides
            case "nodecount": NodeCount = ParseCount(flag, value, minimum: 0); break;
            case "p" or "process-id": ProcessId = ParseCount(flag, value, minimum: 1); break;
            case "name": ProcessName = value; break;
            case "diagnostic-port": DiagnosticPort = value; break;
            case "address": Address = value; break;
            case "seconds": Seconds = ParseCount(flag, value, minimum: 1); break;
            case "sample_index": SampleIndex = value; break;
            case "focus": Focus = ParseRegex(flag, value); break;
            case "ignore": Ignore = ParseRegex(flag, value); break;
            case "tagfocus": TagFocus = value; break;
            case "tagignore": TagIgnore = value; break;
            case "o" or "output": Output = value; break;
            case "http": HttpAddress = value; Command = "web"; break;
            case "diff_base": DiffBase = value; break; // any report then shows NEW minus BASE
            case "profile": Profile = value; break;
            default: Command = flag; CommandArgument = value; break; // list, peek
        }
    }

    private static bool ParseBoolean(string flag, string value) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "t" => true,
        "false" or "0" or "f" => false,
        _ => throw new ToolException($"flag -{flag} takes true or false, not \"{value}\""),
    };

    private static int ParseCount(string flag, string value, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new ToolException($"flag -{flag} takes a whole number of at least {minimum}, not \"{value}\"");

    private static Regex ParseRegex(string flag, string value)
    {
        try
        {
            return new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ToolException($"flag -{flag}: \"{value}\" is not a regular expression: {e.Message}");
        }
    }
}
