using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hub.Tests.Support;

/// <summary>
/// A real rsyslogd per test class: its own configuration, pid file and output in a temp directory;
/// UDP and TCP inputs on free loopback ports and a Unix datagram socket (<see cref="SocketPath"/>).
/// Every record it receives is written to <see cref="OutputPath"/> as one line of fields:
/// <c>facility|severity|app-name|hostname|procid|timereported (RFC 3339)|protocol-version|msg</c>.
/// Start-up returns once all three inputs have delivered a probe record. A missing rsyslogd fails
/// the test ("run scripts/setup.sh"); it is never skipped.
/// </summary>
public sealed class ProtoRsyslog : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _directory = new();
    private Process? _process;

    private ProtoRsyslog()
    {
    }

    public string Host => "127.0.0.1";
    public int UdpPort { get; private set; }
    public int TcpPort { get; private set; }
    public string SocketPath => _directory.File("log.sock");
    public string OutputPath => _directory.File("out.log");

    public static async Task<ProtoRsyslog> StartAsync()
    {
        var executable = new[] { "/usr/sbin/rsyslogd", "/usr/bin/rsyslogd" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("rsyslogd is not installed: run scripts/setup.sh (or install the rsyslog package)");
        var rsyslog = new ProtoRsyslog { UdpPort = FreeUdpPort(), TcpPort = FreeTcpPort() };
        var dir = rsyslog._directory.Path;
        var config = rsyslog._directory.Write("rsyslog.conf", $$"""
            global(workDirectory="{{dir}}")
            module(load="imudp")
            module(load="imtcp")
            module(load="imuxsock" SysSock.Use="off")
            input(type="imudp" address="127.0.0.1" port="{{rsyslog.UdpPort}}")
            input(type="imtcp" address="127.0.0.1" port="{{rsyslog.TcpPort}}")
            input(type="imuxsock" Socket="{{rsyslog.SocketPath}}")
            template(name="fields" type="string" string="%syslogfacility%|%syslogseverity%|%app-name%|%hostname%|%procid%|%timereported:::date-rfc3339%|%protocol-version%|%msg%\n")
            *.* action(type="omfile" file="{{rsyslog.OutputPath}}" template="fields")
            """);
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-n", "-f", config, "-i", rsyslog._directory.File("rsyslogd.pid") })
        {
            start.ArgumentList.Add(argument);
        }

        rsyslog._process = Process.Start(start)!;
        try
        {
            await rsyslog.WaitUntilReadyAsync();
        }
        catch
        {
            await rsyslog.DisposeAsync();
            throw;
        }

        return rsyslog;
    }

    /// <summary>The received records (probes left out), split into their fields.</summary>
    public async Task<IReadOnlyList<string[]>> WaitForRecordsAsync(int count, TimeSpan timeout)
    {
        var text = await FileWait.UntilAsync(OutputPath, c => Records(c).Count >= count, timeout);
        return Records(text);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // It has exited already.
            }

            process.Dispose();
        }

        _directory.Dispose();
    }

    private static List<string[]> Records(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('|', 8)).Where(f => f[2] != "hub-probe")];

    private async Task WaitUntilReadyAsync()
    {
        using var deadline = new CancellationTokenSource(StartTimeout);
        var probes = new[] { "udp", "tcp", "unix" };
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"rsyslogd exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync()}");
            }

            await SendProbesAsync(deadline.Token);
            try
            {
                // The probes are the signal; a short bound repeats them in case an input was not listening yet.
                await FileWait.UntilAsync(OutputPath, c => probes.All(p => c.Contains($"probe {p}", StringComparison.Ordinal)), TimeSpan.FromMilliseconds(500));
                return;
            }
            catch (TimeoutException) when (!deadline.IsCancellationRequested)
            {
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"rsyslogd did not receive its probes within {StartTimeout}");
            }
        }
    }

    private async Task SendProbesAsync(CancellationToken cancellationToken)
    {
        byte[] Probe(string via) => Encoding.ASCII.GetBytes($"<46>1 - - hub-probe - - - probe {via}");
        using (var udp = new UdpClient())
        {
            await udp.SendAsync(Probe("udp"), Host, UdpPort, cancellationToken);
        }

        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(Host, TcpPort, cancellationToken);
            var record = Probe("tcp");
            await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"{record.Length} ").Concat(record).ToArray(), cancellationToken);
        }
        catch (SocketException)
        {
            // Not listening yet.
        }

        if (File.Exists(SocketPath))
        {
            using var unix = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            await unix.SendToAsync(Encoding.ASCII.GetBytes("<46>Jan  1 00:00:00 hub-probe: probe unix"), SocketFlags.None, new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int FreeUdpPort()
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
    }
}
