using System.Net.Sockets;
using System.Text;
using Hub.Tests.EndToEnd;
using Hub.Tests.Support;

namespace Hub.Tests.Hosting;

/// <summary>
/// <c>hub run</c> as systemd runs <c>deploy/hub.service</c> (<c>Type=notify</c>): READY=1 on a notify socket once it
/// runs, SIGHUP reloads (<c>ExecReload</c>), SIGTERM sends STOPPING=1, drains and exits 0.
/// </summary>
public sealed class SystemdNotifyTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public async Task Under_systemd_the_hub_notifies_ready_reloads_on_sighup_and_notifies_stopping_on_sigterm()
    {
        var socketPath = _temp.File("notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        var output = _temp.File("out.log");
        var config = _temp.Write("hub.ini", HubConfigFiles.FileRoute(_broker, "systemd-notify", output));

        await using var hub = HubProcess.StartAsSystemdService(_temp.Path, socketPath, "run", "--config", config);
        Assert.Equal("READY=1", await ReceiveAsync(notify, hub));
        await hub.WaitForLineAsync("Subscribed", Wait);

        hub.Signal(1); // SIGHUP, as ExecReload=/bin/kill -HUP $MAINPID
        await hub.WaitForLineAsync("Reloaded:", Wait);
        await MosquittoClients.PublishAsync(_broker, "test/after-reload", "still routing");
        Assert.Equal("still routing\n", await FileWait.LinesAsync(output, 1, Wait));

        hub.Terminate();
        Assert.Equal("STOPPING=1", await ReceiveAsync(notify, hub));
        Assert.Equal(0, await hub.WaitForExitAsync(Wait));
        Assert.Contains("Hub stopped", hub.Output);
    }

    private static async Task<string> ReceiveAsync(Socket socket, HubProcess hub)
    {
        var buffer = new byte[256];
        using var deadline = new CancellationTokenSource(Wait);
        try
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            return Encoding.UTF8.GetString(buffer, 0, count).Trim();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no notification from the hub within {Wait} (it is {hub.State}). Output:\n{hub.Output}");
        }
    }
}
