using System.Net;
using System.Net.Sockets;

namespace ProfilingKit.Testing;

/// <summary>Loopback ports for tests that start servers.</summary>
public static class FreePort
{
    /// <summary>A port nothing listens on right now (the OS picks it; a race with other processes is possible but unlikely).</summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
