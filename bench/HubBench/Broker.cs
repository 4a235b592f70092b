using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HubBench;

/// <summary>A mosquitto on a free loopback port: default limits, or <paramref name="extraConfig"/> lines added.</summary>
internal sealed class Broker : IDisposable
{
    private readonly Process _process;

    public Broker(string directory, string extraConfig = "")
    {
        Port = FreePort();
        var config = Path.Combine(directory, $"mosquitto-{Port}.conf");
        File.WriteAllText(config, $"listener {Port} 127.0.0.1\nallow_anonymous true\n{extraConfig}");
        var executable = File.Exists("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";
        _process = Process.Start(new ProcessStartInfo(executable, ["-c", config]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    public int Port { get; }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
