using System.Globalization;
using Hub.Broker;
using Hub.Broker.Security;

namespace Hub.Tests.Support;

/// <summary>
/// The hub's embedded broker started in-process on a free loopback port (listen 127.0.0.1:0), with
/// mosquitto_pub/mosquitto_sub helpers pointed at it. Persistence is off unless a directory is given.
/// </summary>
internal sealed class EmbeddedBroker : IAsyncDisposable
{
    private EmbeddedBroker(BrokerServer server, CollectingLogger logs)
    {
        Server = server;
        Logs = logs;
    }

    public BrokerServer Server { get; }

    public BrokerEngine Engine => Server.Engine;

    public CollectingLogger Logs { get; }

    public string Host => "127.0.0.1";

    public int Port => Server.Endpoints[0].Port;

    public static async Task<EmbeddedBroker> StartAsync(BrokerOptions? options = null, TimeProvider? time = null, IBrokerSecurity? security = null)
    {
        options ??= new BrokerOptions();
        options = options with { Listen = options.Listen is ["127.0.0.1:1883"] ? ["127.0.0.1:0"] : options.Listen };
        var logs = new CollectingLogger();
        var server = await BrokerServer.StartAsync(options, logs, time, security ?? new AllowAllSecurity());
        return new EmbeddedBroker(server, logs);
    }

    /// <summary>mosquitto_pub -t topic -m message -q qos [extra…]; fails the test if it exits non-zero.</summary>
    public async Task PublishAsync(string topic, string message, int qos = 0, params string[] extraArguments)
    {
        var result = await ProcessRunner.RunAsync("mosquitto_pub", [.. Address(), "-t", topic, "-m", message, "-q", Text(qos), .. extraArguments], MosquittoClients.DefaultTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub failed: {result}");
        }
    }

    /// <summary>Runs mosquitto_pub and returns its result, whatever the exit code.</summary>
    public Task<ProcessResult> TryPublishAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("mosquitto_pub", [.. Address(), .. arguments], MosquittoClients.DefaultTimeout);

    /// <summary>Starts mosquitto_sub -v and returns after its SUBACK.</summary>
    public Task<MosquittoSubscriber> SubscribeAsync(string topic, int qos = 0, params string[] extraArguments) =>
        MosquittoSubscriber.StartAsync([.. Address(), "-t", topic, "-q", Text(qos), .. extraArguments], MosquittoClients.DefaultTimeout);

    /// <summary>Runs mosquitto_sub until it has <paramref name="count"/> messages (-C) and returns its output lines.</summary>
    public async Task<string[]> ReceiveAsync(string topic, int count, params string[] extraArguments)
    {
        var result = await ProcessRunner.RunAsync("mosquitto_sub", [.. Address(), "-v", "-t", topic, "-C", Text(count), "-W", "30", .. extraArguments], TimeSpan.FromSeconds(45));
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A raw connection speaking packets (no client logic), for protocol-level tests.</summary>
    public Task<RawMqttConnection> ConnectRawAsync() => RawMqttConnection.OpenAsync(Host, Port);

    private string[] Address() => ["-h", Host, "-p", Text(Port)];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
