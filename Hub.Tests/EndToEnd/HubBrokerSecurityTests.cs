using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>TLS and authentication, with the hub process against mosquitto.</summary>
public sealed class HubBrokerSecurityTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_hub_connects_over_tls_verifying_the_broker_with_a_ca_made_by_openssl()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true });
        using var temp = new TempDirectory();
        var output = temp.File("out.log");
        var ini = HubConfigFiles.FileRoute(broker, "e2e-tls", output)
            .Replace($"port = {broker.Port}", $"port = {broker.TlsPort}\nca_certs = {broker.CaPath}\ntls_version = tlsv1_2")
            .Replace($"hostname = '{broker.Host}'", "hostname = 'localhost'");
        var config = temp.Write("hub.ini", ini);
        await using var hub = HubProcess.Start(temp.Path, "run", "--config", config);
        await hub.WaitForLineAsync("Subscribed", Wait);
        await MosquittoClients.PublishAsync(broker, "test/tls", "secret sauce");
        Assert.Equal("secret sauce\n", await FileWait.LinesAsync(output, 1, Wait));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_clear_message_and_never_logged()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["hub"] = "right-password" },
        });
        using var temp = new TempDirectory();
        var ini = HubConfigFiles.FileRoute(broker, "e2e-auth", temp.File("out.log"), extraDefaults: "username = hub\npassword = wrong-password-123");
        var config = temp.Write("hub.ini", ini);
        await using var hub = HubProcess.Start(temp.Path, "run", "--config", config);
        var line = await hub.WaitForLineAsync("Connection refused", Wait);
        Assert.True(line.Contains("not authorised") || line.Contains("bad user name or password"), line);
        Assert.DoesNotContain("wrong-password-123", hub.Output);
    }
}
