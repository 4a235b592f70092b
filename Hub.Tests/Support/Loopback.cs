using System.Net;
using System.Net.Sockets;

namespace Hub.Tests.Support;

/// <summary>Loopback addresses nobody listens on (a port taken from the OS and released): connecting fails at once.</summary>
public static class Loopback
{
    public static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>An http base URL on <see cref="ClosedPort"/>.</summary>
    public static string ClosedUrl() => $"http://127.0.0.1:{ClosedPort()}";
}
