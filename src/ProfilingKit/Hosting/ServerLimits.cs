using System.Globalization;

namespace ProfilingKit.Hosting;

/// <summary>
/// What one client may cost the app, enforced by <see cref="PprofServer"/> before a request reaches the
/// dispatcher (and before the token is checked): the size of a request, how long it may take to
/// arrive, how many connections may be open, and how long a response may wait for its reader.
/// </summary>
internal sealed record ServerLimits
{
    /// <summary>The limits the endpoint runs with.</summary>
    public static ServerLimits Default { get; } = new() { MaxConnections = ConnectionsFor(OpenFileLimit()) };

    /// <summary>The request line and headers together; a longer head is answered 431 and its connection closed.</summary>
    public int MaxHeadBytes { get; init; } = 16 * 1024;

    /// <summary>A request body (only <c>symbol</c> POST reads one); a longer one is answered 413.</summary>
    public int MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Open connections; at the cap an idle keep-alive connection is closed to make room, or the newcomer is refused 503.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>From a request's first byte to its blank line: a client that trickles its headers is answered 408.</summary>
    public TimeSpan HeadTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>From the end of the headers to the last byte of the body.</summary>
    public TimeSpan BodyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a keep-alive connection may wait for its next request.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one write may wait for a client that does not read; then the response is abandoned.</summary>
    public TimeSpan WriteStallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a response of known length may take to write in all.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An eighth of the descriptors the process may open, between 16 and 512: the endpoint never takes
    /// the descriptors the app's own files and sockets need (.NET raises the soft limit to the hard one at start).
    /// </summary>
    internal static int ConnectionsFor(long openFileLimit) => (int)Math.Clamp(openFileLimit / 8, 16, 512);

    /// <summary>The soft limit on open files from /proc/self/limits, or 1024 where it cannot be read.</summary>
    private static long OpenFileLimit()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return 1024;
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var soft = line.Substring("Max open files".Length).TrimStart().Split(' ', 2)[0];
                return soft == "unlimited" ? long.MaxValue : long.Parse(soft, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            // Unknown: assume the common default.
        }

        return 1024;
    }
}
