using System.Globalization;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// <c>hub run</c> with MQTT 5.0 features against a real mosquitto: received properties as transformation data,
/// <c>mqttpub</c> targets that set properties, and shared subscriptions over two hub processes.
/// </summary>
public sealed class Mqtt5RoutingRunTests : IAsyncLifetime
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

    [Fact]
    public async Task Received_properties_are_transformation_data()
    {
        var config = _temp.Write("hub.ini", HubConfigFiles.FileRoute(_broker, "e2e-v5-props", _temp.File("out.log"), qos: 1,
            format: "{payload} ct={_content_type} rt={_response_topic} cd={_correlation_data} site={_user_properties[site]} exp={_message_expiry}",
            extraDefaults: "protocol = 5"));
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "test/props", "hello", 1, "-V", "mqttv5",
            "-D", "publish", "content-type", "text/plain", "-D", "publish", "response-topic", "replies/1",
            "-D", "publish", "correlation-data", "req-7", "-D", "publish", "user-property", "site", "north",
            "-D", "publish", "message-expiry-interval", "3600");

        var line = (await FileWait.LinesAsync(_temp.File("out.log"), 1, Wait)).TrimEnd('\n');
        Assert.StartsWith("hello ct=text/plain rt=replies/1 cd=req-7 site=north exp=", line, StringComparison.Ordinal);
        Assert.InRange(int.Parse(line[(line.LastIndexOf('=') + 1)..], CultureInfo.InvariantCulture), 3000, 3600);
    }

    [Fact]
    public async Task An_mqttpub_target_publishes_with_the_properties_it_sets()
    {
        var config = _temp.Write("hub.ini", $$$"""
            {{{HubConfigFiles.Defaults(_broker, "e2e-v5-mqttpub", "protocol = 5\nlaunch = mqttpub")}}}

            [config:mqttpub]
            targets = {
                'reply': ['out/{device}', 1, False, {'content_type': 'application/json', 'response_topic': 'replies/{device}',
                          'correlation_data': '{_correlation_data}', 'message_expiry': 600, 'user_properties': {'source': 'hub', 'device': '{device}'}}],
              }

            [in/#]
            targets = mqttpub:reply
            qos = 1
            """);
        await using var sub = await MosquittoClients.SubscribeAsync(_broker, "out/#", 1, "-V", "mqttv5", "-F", "%t|%C|%R|%D|%P|%E|%p");
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);

        await MosquittoClients.PublishAsync(_broker, "in/x", """{"device": "pump7"}""", 1, "-V", "mqttv5", "-D", "publish", "correlation-data", "req-9");

        var fields = (await sub.ReadAsync(Wait)).Split('|');
        Assert.Equal(["out/pump7", "application/json", "replies/pump7", "req-9", "source:hub device:pump7"], fields[..5]);
        Assert.InRange(int.Parse(fields[5], CultureInfo.InvariantCulture), 500, 600);
        Assert.Equal("""{"device": "pump7"}""", fields[6]);
    }

    [Fact]
    public async Task Two_hubs_sharing_a_subscription_split_the_messages_and_lose_none()
    {
        string Config(string name) => _temp.Write(name + ".ini", HubConfigFiles.FileRoute(_broker, "e2e-share-" + name, _temp.File(name + ".log"), qos: 1)
            .Replace("qos = 1", "qos = 1\nshare = workers", StringComparison.Ordinal));
        await using var first = HubProcess.Start(_temp.Path, "run", "--config", Config("first"));
        await using var second = HubProcess.Start(_temp.Path, "run", "--config", Config("second"));
        Assert.Contains("$share/workers/test/#", await first.WaitForLineAsync("Subscribed", Wait), StringComparison.Ordinal);
        await second.WaitForLineAsync("Subscribed", Wait);

        const int Sent = 40;
        for (var i = 0; i < Sent; i++)
        {
            await MosquittoClients.PublishAsync(_broker, "test/work", $"m{i}", 1);
        }

        await Condition.UntilAsync(() => Lines("first").Count + Lines("second").Count >= Sent, Wait, "all messages written by the two hubs");
        var (a, b) = (Lines("first"), Lines("second"));
        Assert.NotEmpty(a);
        Assert.NotEmpty(b);
        Assert.Equal(Enumerable.Range(0, Sent).Select(i => $"m{i}").Order(), a.Concat(b).Order());
    }

    [Fact]
    public async Task A_publish_the_broker_refuses_is_a_failed_delivery_in_words()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["hub"] = "pw" },
            Acl = "user hub\ntopic readwrite in/#\ntopic readwrite clients/#\ntopic readwrite allowed/#\n",
        });
        var config = _temp.Write("hub.ini", $$$"""
            {{{HubConfigFiles.Defaults(broker, "e2e-v5-refused", "protocol = 5\nusername = hub\npassword = pw\nlaunch = mqttpub\nretries = 0")}}}

            [config:mqttpub]
            targets = { 'denied': ['denied/x', 1, False], 'allowed': ['allowed/x', 1, False] }

            [in/#]
            targets = mqttpub:denied, mqttpub:allowed
            qos = 1
            """);
        await using var sub = await MosquittoClients.SubscribeAsync(broker, "allowed/#", 1, "-V", "mqttv5", "-u", "hub", "-P", "pw");
        await using var hub = HubProcess.Start(_temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);
        await MosquittoClients.PublishAsync(broker, "in/x", "hello", 1, "-V", "mqttv5", "-u", "hub", "-P", "pw");

        var line = await hub.WaitForLineAsync("Notification not delivered", Wait);
        Assert.Contains("The broker refused the message: Not authorized (PUBACK reason code 0x87)", line, StringComparison.Ordinal);
        Assert.Contains("target=denied", line, StringComparison.Ordinal);
        Assert.Equal("allowed/x hello", await sub.ReadAsync(Wait)); // the other target, on the same connection, is unaffected
    }

    private string SharingConfig(string name, bool cleanSession) =>
        _temp.Write(name + ".ini", HubConfigFiles.FileRoute(_broker, "e2e-share-kill-" + name, _temp.File(name + ".log"), qos: 1,
                extraDefaults: cleanSession ? "cleansession = True" : "cleansession = False")
            .Replace("qos = 1", "qos = 1\nshare = workers", StringComparison.Ordinal));

    [Fact]
    public async Task With_clean_sessions_the_hub_left_alive_gets_every_message_after_the_other_died()
    {
        // The dead member's session, and its place in the share group, end with its connection.
        await using var survivor = HubProcess.Start(_temp.Path, "run", "--config", SharingConfig("survivor", cleanSession: true));
        await survivor.WaitForLineAsync("Subscribed", Wait);
        await using (var victim = HubProcess.Start(_temp.Path, "run", "--config", SharingConfig("victim", cleanSession: true)))
        {
            await victim.WaitForLineAsync("Subscribed", Wait);
            victim.Signal(9);
            await victim.WaitForExitAsync(Wait);
        }

        await VictimGoneAsync();
        const int Sent = 20;
        for (var i = 0; i < Sent; i++)
        {
            await MosquittoClients.PublishAsync(_broker, "test/work", $"m{i}", 1);
        }

        await Condition.UntilAsync(() => Lines("survivor").Count >= Sent, Wait, "every message written by the surviving hub");
        Assert.Equal(Enumerable.Range(0, Sent).Select(i => $"m{i}"), Lines("survivor"));
    }

    [Fact]
    public async Task With_persistent_sessions_mosquitto_keeps_the_dead_members_share_until_it_returns_and_nothing_is_lost()
    {
        // mosquitto 2.0 keeps a persistent member in the share group while it is offline and queues its turn of
        // the messages in its session: the survivor gets only part of them; the rest arrive when the member returns.
        await using var survivor = HubProcess.Start(_temp.Path, "run", "--config", SharingConfig("survivor", cleanSession: false));
        await survivor.WaitForLineAsync("Subscribed", Wait);
        var victimConfig = SharingConfig("victim", cleanSession: false);
        await using (var victim = HubProcess.Start(_temp.Path, "run", "--config", victimConfig))
        {
            await victim.WaitForLineAsync("Subscribed", Wait);
            victim.Signal(9);
            await victim.WaitForExitAsync(Wait);
        }

        await VictimGoneAsync();
        const int Sent = 20;
        for (var i = 0; i < Sent; i++)
        {
            await MosquittoClients.PublishAsync(_broker, "test/work", $"m{i}", 1);
        }

        await Condition.UntilAsync(() => Lines("survivor").Count > 0, Wait, "the survivor's part");
        Assert.True(Lines("survivor").Count < Sent, "mosquitto 2.0 queued part of the messages for the offline member");

        await using var returned = HubProcess.Start(_temp.Path, "run", "--config", victimConfig);
        await Condition.UntilAsync(() => Lines("survivor").Count + Lines("victim").Count >= Sent, Wait, "all messages written by the two hubs");
        Assert.Equal(Enumerable.Range(0, Sent).Select(i => $"m{i}").Order(), Lines("survivor").Concat(Lines("victim")).Order());
    }

    /// <summary>mosquitto noticed the killed hub's connection is gone.</summary>
    private Task VictimGoneAsync() => FileWait.UntilAsync(_broker.LogPath,
        log => log.Contains("Client e2e-share-kill-victim closed its connection", StringComparison.Ordinal)
            || log.Contains("Socket error on client e2e-share-kill-victim", StringComparison.Ordinal), Wait);

    private List<string> Lines(string name)
    {
        var path = _temp.File(name + ".log");
        try
        {
            return File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];
        }
        catch (IOException)
        {
            return [];
        }
    }
}
