using System.Text;
using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Integration;

/// <summary>Clients against a real mosquitto, with received messages collected in a channel.</summary>
internal static class Peers
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static MqttClientOptions Options(MosquittoBroker broker, string clientId, int level = 4) => new()
    {
        Host = broker.Host,
        Port = broker.Port,
        ClientId = clientId,
        ProtocolLevel = level,
        KeepAliveSeconds = 30,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    public static (MqttClient Client, Channel<MqttApplicationMessage> Received) Client(MqttClientOptions options, ITestOutputHelper output, params MqttSubscription[] subscriptions)
    {
        var client = new MqttClient(options, new CollectingLogger(output));
        var received = Channel.CreateUnbounded<MqttApplicationMessage>();
        client.Subscriptions = subscriptions;
        client.MessageReceived = (m, _) => received.Writer.WriteAsync(m);
        return (client, received);
    }

    public static async Task<string> NextPayloadAsync(this Channel<MqttApplicationMessage> received)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var message = await received.Reader.ReadAsync(cts.Token);
        return Encoding.UTF8.GetString(message.Payload.Span);
    }

    public static async Task<MqttApplicationMessage> NextAsync(this Channel<MqttApplicationMessage> received)
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await received.Reader.ReadAsync(cts.Token);
    }

    public static MqttApplicationMessage Text(string topic, string payload, int qos = 0, bool retain = false) =>
        new(topic, Encoding.UTF8.GetBytes(payload), qos, retain);

    /// <summary>Starts the client and waits for its Connected callback (after resubscription).</summary>
    public static async Task<bool> StartAndWaitConnectedAsync(this MqttClient client)
    {
        var connected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var previous = client.Connected;
        client.Connected = async (present, token) =>
        {
            if (previous is not null)
            {
                await previous(present, token);
            }

            connected.TrySetResult(present);
        };
        await client.StartAsync(CancellationToken.None);
        return await connected.Task.WaitAsync(Timeout);
    }
}
