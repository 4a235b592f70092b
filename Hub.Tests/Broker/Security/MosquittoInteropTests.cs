using System.Globalization;
using Hub.Broker.Security;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Broker.Security;

/// <summary>
/// The same password and ACL files in a real mosquitto and in <see cref="BrokerSecurity"/>: files written by
/// <c>hub passwd</c> work in mosquitto, and both brokers let the same messages through.
/// </summary>
public sealed class MosquittoInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private const string Acl = """
        # anonymous clients
        topic readwrite sync/#
        topic read public/#
        user alice
        topic readwrite sync/#
        topic readwrite alice/#
        topic deny alice/secret
        topic write drop/alice
        user bob
        topic readwrite sync/#
        topic read public/#
        user admin
        topic readwrite #
        pattern readwrite clients/%c/#
        pattern read users/%u/inbox
        pattern deny clients/%c/locked
        """;

    private sealed record Identity(string ClientId, string? User, string? Password)
    {
        public string[] Arguments => User is null ? ["-i", ClientId] : ["-i", ClientId, "-u", User, "-P", Password!];

        public string[] Probes =>
        [
            "public/news", "alice/x", "alice/secret", "drop/alice", $"clients/{ClientId}/a", $"clients/{ClientId}/locked",
            "clients/other/a", $"users/{User ?? "nobody"}/inbox", "users/other/inbox", "misc/x",
        ];
    }

    private static readonly Identity Admin = new("admin-c", "admin", "admin-pw");

    private static readonly Identity[] Clients = [new("cid-anon", null, null), new("cid-alice", "alice", "alice-pw"), new("cid-bob", "bob", "bob-pw")];

    private static async Task<string> WritePasswordFileAsync(TempDirectory temp)
    {
        var file = temp.File("passwd");
        foreach (var (user, password, i) in new[] { ("alice", "alice-pw", 0), ("bob", "bob-pw", 1), ("admin", "admin-pw", 2) })
        {
            var (code, _, error) = await CliRunner.RunAsync(i == 0 ? ["passwd", "-c", "-b", file, user, password] : ["passwd", "-b", file, user, password]);
            Assert.True(code == 0, error);
        }

        return file;
    }

    private static Task<ProcessResult> PublishAsync(MosquittoBroker broker, Identity identity, string topic) =>
        ProcessRunner.RunAsync(
            "mosquitto_pub",
            ["-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", topic, "-m", topic, .. identity.Arguments],
            Timeout);

    private static async Task<List<string>> ReadUntilSyncAsync(MosquittoSubscriber subscriber, string sync)
    {
        var topics = new List<string>();
        while (true)
        {
            var topic = (await subscriber.ReadAsync(Timeout)).Split(' ')[0];
            if (topic == sync)
            {
                return topics;
            }

            topics.Add(topic);
        }
    }

    [Fact]
    public async Task A_password_file_written_by_hub_passwd_works_in_mosquitto()
    {
        using var temp = new TempDirectory();
        var file = await WritePasswordFileAsync(temp);
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { AllowAnonymous = false, ExtraConfig = $"password_file {file}" });

        var right = await PublishAsync(broker, new Identity("c1", "alice", "alice-pw"), "t");
        var wrong = await PublishAsync(broker, new Identity("c2", "alice", "bob-pw"), "t");
        var anonymous = await PublishAsync(broker, new Identity("c3", null, null), "t");

        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.True(wrong.ExitCode != 0 && wrong.StandardError.Contains("not authorised", StringComparison.Ordinal), wrong.ToString());
        Assert.True(anonymous.ExitCode != 0, anonymous.ToString());
    }

    [Fact]
    public async Task Mosquitto_and_the_hub_let_the_same_publishes_through()
    {
        using var temp = new TempDirectory();
        var passwords = await WritePasswordFileAsync(temp);
        var acl = temp.Write("acl", Acl);
        var security = BrokerSecurity.Load(passwords, acl, allowAnonymous: true);
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = $"password_file {passwords}\nacl_file {acl}" });

        foreach (var client in Clients)
        {
            var sync = $"sync/{client.ClientId}";
            await using var observer = await MosquittoClients.SubscribeAsync(broker, "#", 1, Admin.Arguments);
            foreach (var topic in client.Probes.Append(sync))
            {
                var result = await PublishAsync(broker, client, topic);
                Assert.True(result.ExitCode == 0, result.ToString());
            }

            var throughMosquitto = await ReadUntilSyncAsync(observer, sync);
            var throughHub = client.Probes.Where(t => security.CanPublish(client.ClientId, client.User, t)).ToList();
            Assert.Equal(throughHub.Order(), throughMosquitto.Order());
            Assert.NotEmpty(throughHub);
            Assert.NotEqual(client.Probes.Length, throughHub.Count);
        }
    }

    [Fact]
    public async Task Mosquitto_and_the_hub_deliver_the_same_messages_to_a_subscriber_of_everything()
    {
        using var temp = new TempDirectory();
        var passwords = await WritePasswordFileAsync(temp);
        var acl = temp.Write("acl", Acl);
        var security = BrokerSecurity.Load(passwords, acl, allowAnonymous: true);
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { ExtraConfig = $"password_file {passwords}\nacl_file {acl}" });

        foreach (var client in Clients)
        {
            var sync = $"sync/{client.ClientId}";
            await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "#", 1, client.Arguments);
            foreach (var topic in client.Probes.Append(sync))
            {
                var result = await PublishAsync(broker, Admin, topic);
                Assert.True(result.ExitCode == 0, result.ToString());
            }

            var throughMosquitto = await ReadUntilSyncAsync(subscriber, sync);
            var throughHub = client.Probes.Where(t => security.CanRead(client.ClientId, client.User, t)).ToList();
            Assert.Equal(throughHub.Order(), throughMosquitto.Order());
            Assert.NotEmpty(throughHub);
            Assert.NotEqual(client.Probes.Length, throughHub.Count);
            Assert.True(security.CanSubscribe(client.ClientId, client.User, "#"));
        }
    }
}
