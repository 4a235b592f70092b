using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Zabbix;

/// <summary>The zabbix plugin against a local TCP server playing the Zabbix trapper.</summary>
public sealed class ZabbixSinkTests : IAsyncLifetime
{
    private const string Accepted = """{"response":"success","info":"processed: 1; failed: 0; total: 1; seconds spent: 0.000055"}""";
    private const string Refused = """{"response":"success","info":"processed: 0; failed: 1; total: 1; seconds spent: 0.000040"}""";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> _replies = new();
    private ProtoTcpServer _trapper = null!;

    public Task InitializeAsync()
    {
        _trapper = ProtoTcpServer.Start(async (stream, ct) =>
        {
            // The trapper's side: header, length, JSON; then the scripted reply in the same framing.
            var header = await ProtoTcpServer.ReadExactlyAsync(stream, 13, ct);
            Assert.Equal("ZBXD\x01"u8.ToArray(), header[..5]);
            var request = await ProtoTcpServer.ReadExactlyAsync(stream, checked((int)BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(5))), ct);
            var reply = Encoding.UTF8.GetBytes(_replies.TryDequeue(out var next) ? next : Accepted);
            var length = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(length, reply.Length);
            await stream.WriteAsync((byte[])[.. "ZBXD\x01"u8, .. length, .. reply], ct);
            return request;
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _trapper.DisposeAsync();

    [Fact]
    public async Task A_value_goes_to_the_clients_key_with_the_hubs_clock()
    {
        var time = new FakeTimeProvider();
        var sink = BuiltInPlugins.Create("zabbix", new TestPluginContext { TimeProvider = time });
        await sink.SendAsync(Item("21.5", Target(), Data(("client", "jog02"), ("key", "temperature"))), CancellationToken.None);

        var request = Encoding.UTF8.GetString(await _trapper.NextAsync(Wait));
        Assert.Equal("""{"request":"sender data","data":[{"host":"jog02","key":"temperature","value":"21.5","clock":1767225600}]}""", request);
    }

    [Fact]
    public async Task The_targets_client_and_key_serve_when_the_data_has_none()
    {
        var target = Some.List(_trapper.Host, (long)_trapper.Port, "boiler", "temperature");
        await Sink().SendAsync(Item("60", target, Data()), CancellationToken.None);
        await Sink().SendAsync(Item("61", target, Data(("client", "other"))), CancellationToken.None);

        var first = JsonDocument.Parse(await _trapper.NextAsync(Wait)).RootElement.GetProperty("data")[0];
        var second = JsonDocument.Parse(await _trapper.NextAsync(Wait)).RootElement.GetProperty("data")[0];
        Assert.Equal(["boiler", "temperature", "60"], Fields(first));
        Assert.Equal(["other", "temperature", "61"], Fields(second));
    }

    [Fact]
    public async Task A_status_key_registers_the_client_by_discovery_first()
    {
        var sink = BuiltInPlugins.Create("zabbix", new TestPluginContext(Some.Dict(("host", "BUS"), ("discovery_key", "mqtt.lld"))));
        await sink.SendAsync(Item("1", Target(), Data(("client", "jog02"), ("status_key", "mqtt.status"))), CancellationToken.None);

        var discovery = JsonDocument.Parse(await _trapper.NextAsync(Wait)).RootElement.GetProperty("data")[0];
        Assert.Equal("BUS", discovery.GetProperty("host").GetString());
        Assert.Equal("mqtt.lld", discovery.GetProperty("key").GetString());
        Assert.Equal("""{"data":[{"{#MQTTHOST}":"jog02"}]}""", discovery.GetProperty("value").GetString());
        var status = JsonDocument.Parse(await _trapper.NextAsync(Wait)).RootElement.GetProperty("data")[0];
        Assert.Equal(["jog02", "mqtt.status", "1"], Fields(status));
    }

    [Fact]
    public async Task A_value_the_trapper_counts_as_failed_is_a_permanent_failure()
    {
        _replies.Enqueue(Refused);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Target(), Data(("client", "nohost"), ("key", "k"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("zabbix: the trapper did not accept the value for host 'nohost', key 'k': processed: 0; failed: 1; total: 1; seconds spent: 0.000040", error.Message);
    }

    [Fact]
    public async Task A_status_refused_right_after_its_discovery_is_transient()
    {
        _replies.Enqueue(Accepted);
        _replies.Enqueue(Refused);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("1", Target(), Data(("client", "new"), ("status_key", "s"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Contains("the discovered item may not exist yet", error.Message);
    }

    [Fact]
    public async Task A_reply_other_than_success_is_permanent()
    {
        _replies.Enqueue("""{"response":"failed","info":"cannot parse request"}""");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Target(), Data(("client", "c"), ("key", "k"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Equal("zabbix: the trapper answered 'failed': cannot parse request", error.Message);
    }

    [Fact]
    public async Task Missing_client_or_key_fails_permanently_without_a_connection()
    {
        var noClient = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Target(), Data(("key", "k"))), CancellationToken.None).AsTask());
        var noKey = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Target(), Data(("client", "c"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(noClient);
        Assert.Contains("no 'client'", noClient.Message);
        DeliveryFailures.AssertPermanent(noKey);
        Assert.Contains("no 'key'", noKey.Message);
        await Assert.ThrowsAsync<TimeoutException>(() => _trapper.NextAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(Item("x", Some.List("127.0.0.1", (long)port), Data(("client", "c"), ("key", "k"))), CancellationToken.None).AsTask());

        DeliveryFailures.AssertTransient(error, null);
        Assert.Equal("zabbix: sending to the trapper failed: ConnectionRefused", error.Message);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan", 10051L)));
        Assert.Empty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan", "10051")));
        Assert.NotEmpty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan")));
        Assert.NotEmpty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan", 0L)));
        Assert.Empty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan", 10051L, "boiler", "temperature")));
        Assert.NotEmpty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan", 10051L, "x")));
        Assert.NotEmpty(BuiltInPlugins.Validate("zabbix", Some.List("zabbix.lan", 10051L, "x", "")));

        var bad = BuiltInPlugins.Activate("zabbix", Some.Dict(("host", " "), ("discovery_key", "")));
        Assert.Null(bad.Instance);
        Assert.Equal(["discovery_key", "host"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    [Fact]
    public async Task Hub_notify_sends_the_value_to_the_targets_client_and_key()
    {
        using var temp = new TempDirectory();
        var config = temp.Write("hub.ini", $"""
            [defaults]
            plugins = '{Repo.PluginDirectory}'
            launch = zabbix

            [config:zabbix]
            targets = {"{"} 'load': ['{_trapper.Host}', {_trapper.Port}, 'jog02', 'load'] {"}"}
            """);
        var (code, output, error) = await Cli.CliRunner.RunAsync("notify", "zabbix:load", "42", "--config", config);

        Assert.True(code == 0, error + output);
        var value = JsonDocument.Parse(await _trapper.NextAsync(Wait)).RootElement.GetProperty("data")[0];
        Assert.Equal(["jog02", "load", "42"], Fields(value));
    }

    private static string[] Fields(JsonElement value) =>
        [value.GetProperty("host").GetString()!, value.GetProperty("key").GetString()!, value.GetProperty("value").GetString()!];

    private object Target() => Some.List(_trapper.Host, (long)_trapper.Port);

    private static ISink Sink() => BuiltInPlugins.Create("zabbix", new TestPluginContext());

    private static Dictionary<string, object?> Data(params (string Key, object? Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private static DeliveryItem Item(string message, object? descriptor, IReadOnlyDictionary<string, object?> data) => new()
    {
        Service = "zabbix",
        Section = "t/1",
        Target = "t",
        Addrs = descriptor,
        Topic = "t/1",
        Payload = Encoding.UTF8.GetBytes(message),
        Data = data,
        Message = message,
        MessageBytes = Encoding.UTF8.GetBytes(message),
    };
}
