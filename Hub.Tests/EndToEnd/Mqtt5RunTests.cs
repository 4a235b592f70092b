using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>The hub speaking MQTT 5.0 (<c>protocol = 5</c>) to a real mosquitto: QoS 0-2, the persistent session, refusals in words.</summary>
public sealed class Mqtt5RunTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() => _broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Persistence = true });

    public async Task DisposeAsync()
    {
        await _broker.DisposeAsync();
        _temp.Dispose();
    }

    private string Config(string clientId, string extraDefaults = "") =>
        _temp.Write("hub.ini", HubConfigFiles.FileRoute(_broker, clientId, _temp.File("out.log"), qos: 2, extraDefaults: "protocol = 5\n" + extraDefaults));

    [Fact]
    public async Task Messages_published_with_mqtt_5_at_qos_0_1_and_2_arrive_formatted()
    {
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", Config("e2e-v5"));
        var connected = await hub.WaitForLineAsync("Connected to MQTT broker", Wait);
        Assert.Contains("(MQTT 5.0, client id e2e-v5", connected, StringComparison.Ordinal);

        for (var qos = 0; qos <= 2; qos++)
        {
            await MosquittoClients.PublishAsync(_broker, "test/v5", $"q{qos}", qos, "-V", "mqttv5");
        }

        Assert.Equal("q0\nq1\nq2\n", await FileWait.LinesAsync(_temp.File("out.log"), 3, Wait));
    }

    [Fact]
    public async Task The_persistent_session_keeps_qos_1_messages_published_while_the_hub_was_away()
    {
        var config = Config("e2e-v5-session", "cleansession = False");
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            await hub.WaitForLineAsync("Subscribed", Wait);
            hub.Terminate();
            Assert.Equal(0, await hub.WaitForExitAsync(Wait));
        }

        await MosquittoClients.PublishAsync(_broker, "test/v5", "while away", 1, "-V", "mqttv5");
        await using (var hub = HubProcess.Start(_temp.Path, "run", "--config", config))
        {
            Assert.Equal("while away\n", await FileWait.LinesAsync(_temp.File("out.log"), 1, Wait));
            Assert.Contains("session present: True", await hub.WaitForLineAsync("Connected to MQTT broker", Wait), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_refusal_is_reported_with_the_reason_code_in_words()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["hub"] = "right-password" },
        });
        var config = _temp.Write("hub.ini", HubConfigFiles.FileRoute(broker, "e2e-v5-auth", _temp.File("out.log"), extraDefaults: "protocol = 5\nusername = hub\npassword = wrong-password-5"));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);

        var line = await hub.WaitForLineAsync("Connection refused", Wait);
        Assert.True(line.Contains("Not authorized (reason code 0x87)") || line.Contains("Bad User Name or Password (reason code 0x86)"), line);
        Assert.DoesNotContain("wrong-password-5", hub.Output);
    }
}
