using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ProfilingKit;

/// <summary>
/// Where the endpoint listens, written <c>host:port</c> as in Go (<c>127.0.0.1:6060</c>,
/// <c>localhost:6060</c>, <c>[::1]:6060</c>, or <c>:6060</c> for every interface).
/// </summary>
public sealed class PprofAddress
{
    /// <summary>The address used when none is configured: loopback only, Go's customary port.</summary>
    public const string Default = "127.0.0.1:6060";

    /// <summary>The value that turns the endpoint off.</summary>
    public const string Off = "off";

    private PprofAddress(string host, int port)
    {
        Host = host;
        Port = port;
    }

    /// <summary>The host part; empty means every interface.</summary>
    public string Host { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The base URL of the profiles, such as <c>http://127.0.0.1:6060/debug/pprof/</c>.</summary>
    public string ProfilesUrl => $"http://{(Host.Length == 0 ? "localhost" : Host)}:{Port}/debug/pprof/";

    /// <summary>
    /// Where to listen: every interface of both families for an empty host (one dual-stack socket),
    /// both loopbacks for <c>localhost</c>, the address itself for a literal, and every address a
    /// name resolves to otherwise.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">A name that does not resolve.</exception>
    internal IReadOnlyList<IPEndPoint> EndPoints()
    {
        if (Host.Length == 0) return [new IPEndPoint(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, Port)];
        if (Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return [new IPEndPoint(IPAddress.Loopback, Port), new IPEndPoint(IPAddress.IPv6Loopback, Port)];
        if (IPAddress.TryParse(Host.Trim('[', ']'), out var literal)) return [new IPEndPoint(literal, Port)];
        return Dns.GetHostAddresses(Host).Select(address => new IPEndPoint(address, Port)).ToList();
    }

    /// <summary>Parses <c>host:port</c>.</summary>
    /// <exception cref="FormatException">The text is not <c>host:port</c> with a port from 1 to 65535.</exception>
    public static PprofAddress Parse(string text)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));

        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon < 0 || (trimmed.StartsWith('[') && trimmed.IndexOf(']') > colon))
        {
            throw new FormatException($"'{text}' is not an address of the form host:port, such as {Default}.");
        }

        var host = trimmed.Substring(0, colon);
        var portText = trimmed.Substring(colon + 1);
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{text}' has no valid port: expected host:port with a port from 1 to 65535, such as {Default}.");
        }

        if (host.Contains(':') && !(host.StartsWith('[') && host.EndsWith(']')))
        {
            throw new FormatException($"'{text}': write an IPv6 host in brackets, such as [::1]:6060.");
        }

        if (host is "*" or "+" or "0.0.0.0" or "[::]") host = string.Empty;
        return new PprofAddress(host, port);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
