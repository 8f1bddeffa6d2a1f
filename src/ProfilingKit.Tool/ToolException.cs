namespace ProfilingKit.Tool;

/// <summary>
/// A failure the person at the terminal can act on: the tool prints its message as one line,
/// <c>dotnet-pprof: ...</c>, and exits with code 1. Anything else that escapes is a bug.
/// </summary>
internal sealed class ToolException(string message, Exception? inner = null) : Exception(message, inner);
