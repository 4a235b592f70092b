using Hub.Mqtt;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Integration;

public sealed class TlsTests(ITestOutputHelper output)
{
    private static MqttClientOptions Tls(MosquittoBroker broker, string host, MqttTlsOptions tls) => new()
    {
        Host = host, Port = broker.TlsPort!.Value, ClientId = "tls-" + Guid.NewGuid().ToString("N")[..6], Tls = tls,
    };

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_broker_certificate_signed_by_the_configured_CA_is_accepted(string host)
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true });
        var (client, received) = Peers.Client(Tls(broker, host, new MqttTlsOptions { CaCertsPath = broker.CaPath }), output, new MqttSubscription("secure", 1));
        await using (client)
        {
            await client.StartAndWaitConnectedAsync();
            await client.PublishAsync(Peers.Text("secure", "over TLS", 1), CancellationToken.None);
            Assert.Equal("over TLS", await received.NextPayloadAsync());
        }
    }

    [Fact]
    public async Task A_broker_certificate_from_another_CA_is_refused_with_a_clear_reason()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true });
        var otherCa = await TestCertificates.CreateCaAsync(Path.Combine(broker.Directory, "other"), "Some Other CA");
        await using var client = new MqttClient(Tls(broker, "127.0.0.1", new MqttTlsOptions { CaCertsPath = otherCa.CertPath }), new CollectingLogger(output));
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectOnceAsync(CancellationToken.None));
        Assert.StartsWith($"Cannot connect to MQTT broker at 127.0.0.1:{broker.TlsPort}: TLS handshake failed: the broker certificate is not signed by a CA in {otherCa.CertPath}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_for_another_host_name_is_refused_unless_insecure()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true, TlsServerName = "somewhere-else.example" });
        await using (var strict = new MqttClient(Tls(broker, "127.0.0.1", new MqttTlsOptions { CaCertsPath = broker.CaPath }), new CollectingLogger(output)))
        {
            var ex = await Assert.ThrowsAsync<MqttConnectException>(() => strict.ConnectOnceAsync(CancellationToken.None));
            Assert.Contains("does not match the host name", ex.Message, StringComparison.Ordinal);
        }

        await using var insecure = new MqttClient(Tls(broker, "127.0.0.1", new MqttTlsOptions { CaCertsPath = broker.CaPath, Insecure = true }), new CollectingLogger(output));
        await insecure.ConnectOnceAsync(CancellationToken.None);
        Assert.True(insecure.IsConnected);
    }

    [Fact]
    public async Task Insecure_still_verifies_the_chain()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true, TlsServerName = "somewhere-else.example" });
        var otherCa = await TestCertificates.CreateCaAsync(Path.Combine(broker.Directory, "other"), "Some Other CA");
        await using var client = new MqttClient(Tls(broker, "127.0.0.1", new MqttTlsOptions { CaCertsPath = otherCa.CertPath, Insecure = true }), new CollectingLogger(output));
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => client.ConnectOnceAsync(CancellationToken.None));
        Assert.Contains("not signed by a CA", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_from_PEM_files_is_presented_when_the_broker_requires_one()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true, RequireClientCertificate = true });
        var clientCert = await broker.IssueClientCertificateAsync("hub-client");
        await using var client = new MqttClient(
            Tls(broker, "localhost", new MqttTlsOptions { CaCertsPath = broker.CaPath, CertFile = clientCert.CertPath, KeyFile = clientCert.KeyPath }),
            new CollectingLogger(output));
        await client.ConnectOnceAsync(CancellationToken.None);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task The_TLS_version_can_be_pinned()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoBrokerOptions { Tls = true });
        await using var client = new MqttClient(
            Tls(broker, "localhost", new MqttTlsOptions { CaCertsPath = broker.CaPath, Protocols = System.Security.Authentication.SslProtocols.Tls12 }),
            new CollectingLogger(output));
        await client.ConnectOnceAsync(CancellationToken.None);
        Assert.True(client.IsConnected);
    }
}
