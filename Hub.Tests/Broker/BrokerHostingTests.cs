using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Hub.Broker;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Session;
using Hub.Tests.Support;
using static Hub.Tests.Support.RawMqttConnection;

namespace Hub.Tests.Broker;

/// <summary>The broker as the hub runs it: in-process attach, persistence across restarts, TLS, and <c>hub run</c> end to end.</summary>
public sealed class BrokerHostingTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(4)]
    [InlineData(5)]
    public async Task The_hubs_own_client_talks_to_the_broker_in_process_and_mosquitto_clients_see_it(int protocol)
    {
        await using var broker = await EmbeddedBroker.StartAsync();
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        var options = new MqttClientOptions { ClientId = "in-process", ProtocolLevel = protocol };
        await using var client = new MqttClient(options, new CollectingLogger(), TimeProvider.System, broker.Server.CreateInProcessTransport(), new SessionState(maxInflight: 100))
        {
            Subscriptions = [new MqttSubscription("to-hub/#", 1)],
            MessageReceived = (m, _) => received.Writer.WriteAsync(m),
        };
        var subscribed = new TaskCompletionSource();
        client.Connected = (_, _) => { subscribed.TrySetResult(); return ValueTask.CompletedTask; };
        await client.StartAsync(CancellationToken.None);
        await subscribed.Task.WaitAsync(Wait);
        await using var watcher = await broker.SubscribeAsync("from-hub/#", 1);

        await broker.PublishAsync("to-hub/x", "hello hub", 1);
        await client.PublishAsync(new MqttApplicationMessage("from-hub/y", Encoding.UTF8.GetBytes("hello world"), 1), CancellationToken.None);

        var message = await received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal("hello hub", Encoding.UTF8.GetString(message.Payload.Span));
        Assert.Equal("from-hub/y hello world", await watcher.ReadAsync(Wait));
    }

    [Fact]
    public async Task Queued_messages_and_retained_messages_survive_a_broker_restart()
    {
        using var temp = new TempDirectory();
        var options = new BrokerOptions { PersistenceDirectory = temp.File("broker") };
        await using (var first = await EmbeddedBroker.StartAsync(options))
        {
            var reader = await first.SubscribeAsync("kept/#", 1, "-c", "-i", "durable-reader");
            await reader.DisposeAsync();
            await first.PublishAsync("kept/a", "queued while away", 1);
            await first.PublishAsync("kept/r", "retained", 1, "-r");
            await Condition.UntilAsync(() => first.Engine.Sessions.Single(s => s.ClientId == "durable-reader").QueuedCount == 2, Wait);
        }

        await using var second = await EmbeddedBroker.StartAsync(options);
        var lines = await second.ReceiveAsync("kept/#", 2, "-q", "1", "-c", "-i", "durable-reader");
        Assert.Equal(["kept/a queued while away", "kept/r retained"], lines);
        Assert.Equal(["kept/r retained"], await second.ReceiveAsync("kept/r", 1));
    }

    [Fact]
    public async Task A_tls_listener_serves_mosquitto_pub_with_the_ca_file()
    {
        using var temp = new TempDirectory();
        var ca = await TestCertificates.CreateCaAsync(temp.Path);
        var server = await TestCertificates.IssueAsync(ca, temp.Path, "localhost", "DNS:localhost", "IP:127.0.0.1");
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions
        {
            TlsListen = ["127.0.0.1:0"],
            CertFile = server.CertPath,
            KeyFile = server.KeyPath,
        });
        await using var subscriber = await broker.SubscribeAsync("secure/#");
        var tlsPort = broker.Server.TlsEndpoints[0].Port.ToString(CultureInfo.InvariantCulture);

        var result = await ProcessRunner.RunAsync("mosquitto_pub", ["-h", "localhost", "-p", tlsPort, "--cafile", ca.CertPath, "-t", "secure/t", "-m", "over tls", "-q", "1"], Wait);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("secure/t over tls", await subscriber.ReadAsync(Wait));
    }

    [Fact]
    public async Task An_unfinished_tls_handshake_takes_one_of_max_connections_and_the_connect_timeout_ends_it()
    {
        using var temp = new TempDirectory();
        var ca = await TestCertificates.CreateCaAsync(temp.Path);
        var server = await TestCertificates.IssueAsync(ca, temp.Path, "localhost", "DNS:localhost", "IP:127.0.0.1");
        await using var broker = await EmbeddedBroker.StartAsync(new BrokerOptions
        {
            TlsListen = ["127.0.0.1:0"],
            CertFile = server.CertPath,
            KeyFile = server.KeyPath,
            MaxConnections = 1,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });
        await using var silent = await RawMqttConnection.OpenAsync("127.0.0.1", broker.Server.TlsEndpoints[0].Port); // no ClientHello
        await Condition.UntilAsync(() => broker.Engine.ConnectionCount == 1, Wait, "the handshake holding its place");
        await using var plain = await broker.ConnectRawAsync();

        Assert.Empty(await plain.WaitClosedAsync());
        Assert.Equal(1, broker.Engine.Statistics.Closed(Hub.Broker.BrokerCloseReason.MaxConnections));
        await silent.WaitClosedAsync(Wait);
        Assert.Equal(1, broker.Engine.Statistics.Closed(Hub.Broker.BrokerCloseReason.TlsHandshakeFailed));
        Assert.Equal(0, broker.Engine.ConnectionCount);
    }

    [Fact]
    public async Task Hub_run_with_the_broker_enabled_needs_no_other_server()
    {
        using var temp = new TempDirectory();
        var port = Loopback.ClosedPort();
        var output = temp.File("out.log");
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            clientid = e2e-embedded
            launch = file
            state_dir = {{temp.File("state")}}

            [broker]
            enabled = True
            listen = 127.0.0.1:{{port}}

            [config:file]
            append_newline = True
            targets = { 'out': ['{{output}}'] }

            [test/#]
            targets = file:out
            qos = 1
            """);
        await using var hub = HubProcess.Start(temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Hub ready", Wait);

        var result = await ProcessRunner.RunAsync("mosquitto_pub", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "test/e2e", "-m", "through the embedded broker", "-q", "1"], Wait);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("through the embedded broker\n", await FileWait.LinesAsync(output, 1, Wait));
        hub.Terminate();
        Assert.Equal(0, await hub.WaitForExitAsync(Wait));
    }

    [Fact]
    public async Task The_listeners_open_only_once_the_hubs_own_client_has_subscribed_then_ready_is_logged()
    {
        var port = Loopback.ClosedPort();
        var logs = new CollectingLogger();
        await using var server = await BrokerServer.StartAsync(new BrokerOptions { Listen = [$"127.0.0.1:{port}"] }, logs, open: false);
        var ready = new TaskCompletionSource();
        var running = new TaskCompletionSource();
        var announcing = Hub.Cli.RunCommand.AnnounceReadyAsync(ready.Task, running.Task, server, logs.CreateLogger("hub"), TimeSpan.FromHours(1));

        await Assert.ThrowsAnyAsync<SocketException>(() => RawMqttConnection.OpenAsync("127.0.0.1", port)); // bound, not listening
        await using var client = new MqttClient(new MqttClientOptions { ClientId = "hub" }, new CollectingLogger(), TimeProvider.System, server.CreateInProcessTransport(), new SessionState(maxInflight: 10))
        {
            Subscriptions = [new MqttSubscription("device/#", 1)],
            Connected = (_, _) => { ready.TrySetResult(); return ValueTask.CompletedTask; },
        };
        await client.StartAsync(CancellationToken.None);
        await announcing.WaitAsync(Wait);

        Assert.Equal(1, server.Engine.Index.Count);
        await using var device = await RawMqttConnection.OpenAsync("127.0.0.1", port);
        Assert.Equal(0, (await device.ConnectAsync(Connect("device"))).ReturnCode);
        Assert.Contains(logs.Messages(Microsoft.Extensions.Logging.LogLevel.Information), m => m.StartsWith("Hub ready", StringComparison.Ordinal) && m.Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
        running.SetResult();
    }

    [Fact]
    public async Task A_device_publishing_the_moment_hub_runs_port_opens_loses_none_of_its_first_messages()
    {
        using var temp = new TempDirectory();
        var port = Loopback.ClosedPort();
        var output = temp.File("out.log");
        var config = temp.Write("hub.ini", $$"""
            [defaults]
            clientid = e2e-eager
            launch = file
            state_dir = {{temp.File("state")}}

            [broker]
            enabled = True
            listen = 127.0.0.1:{{port}}

            [config:file]
            append_newline = True
            targets = { 'out': ['{{output}}'] }

            [eager/#]
            targets = file:out
            qos = 1
            """);
        await using var hub = HubProcess.Start(temp.Path, "run", "--config", config);
        RawMqttConnection? device = null;
        await Condition.UntilAsync(() => (device = TryOpen(port)) is not null, Wait, "the broker's port accepting");
        await using var eager = device!;
        await eager.ConnectAsync(Connect("eager-device"));

        for (ushort i = 1; i <= 20; i++)
        {
            await eager.SendAsync(Publish("eager/n", $"{i}", qos: 1, id: i));
        }

        for (var i = 0; i < 20; i++)
        {
            await eager.ReceiveAsync<PubAckPacket>();
        }

        Assert.Equal(string.Concat(Enumerable.Range(1, 20).Select(i => $"{i}\n")), await FileWait.LinesAsync(output, 20, Wait));
        var lines = hub.Lines.ToList();
        Assert.True(lines.FindIndex(l => l.Contains("Connected to MQTT broker", StringComparison.Ordinal)) < lines.FindIndex(l => l.Contains("Broker listening on", StringComparison.Ordinal)), hub.Output);
        await hub.WaitForLineAsync("Hub ready", Wait);
        hub.Terminate();
        Assert.Equal(0, await hub.WaitForExitAsync(Wait));
    }

    private static RawMqttConnection? TryOpen(int port)
    {
        try
        {
            return RawMqttConnection.OpenAsync("127.0.0.1", port).GetAwaiter().GetResult();
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
