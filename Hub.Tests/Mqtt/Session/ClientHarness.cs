using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Mqtt.Session;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Session;

/// <summary>An <see cref="MqttClient"/> on a fake transport and fake time, with the test playing the broker.</summary>
internal sealed class ClientHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public ClientHarness(ITestOutputHelper output, MqttClientOptions? options = null, SessionState? session = null)
    {
        Logger = new CollectingLogger(output, Microsoft.Extensions.Logging.LogLevel.Trace);
        Options = options ?? new MqttClientOptions { ClientId = "test", KeepAliveSeconds = 5, ConnectTimeout = TimeSpan.FromHours(1) };
        Client = new MqttClient(Options, Logger, Time, Transport, session ?? new SessionState());
        Client.ConnectionLost = (reason, delay) => Lost.Writer.TryWrite((reason, delay));
        Client.Connected = (present, _) => ConnectedSignal.Writer.WriteAsync(present);
    }

    /// <summary>One entry per Connected callback (session present).</summary>
    public Channel<bool> ConnectedSignal { get; } = Channel.CreateUnbounded<bool>();

    public FakeTimeProvider Time { get; } = new();

    public FakeTransport Transport { get; } = new();

    public CollectingLogger Logger { get; }

    public MqttClientOptions Options { get; }

    public MqttClient Client { get; }

    public Channel<(string Reason, TimeSpan Delay)> Lost { get; } = Channel.CreateUnbounded<(string, TimeSpan)>();

    /// <summary>Starts the client and accepts its first connection.</summary>
    public async Task<FakeBrokerConnection> StartAsync(bool sessionPresent = false)
    {
        await Client.StartAsync(CancellationToken.None);
        return await AcceptAsync(sessionPresent);
    }

    public async Task<FakeBrokerConnection> AcceptAsync(bool sessionPresent = false)
    {
        var broker = await Transport.AcceptAsync(Timeout);
        await broker.AcceptConnectAsync(Timeout, sessionPresent);
        using var cts = new CancellationTokenSource(Timeout);
        await ConnectedSignal.Reader.ReadAsync(cts.Token); // the client is fully up (Connected called)
        return broker;
    }

    /// <summary>Waits until the client armed a timer due within <paramref name="within"/>, then moves time by it.</summary>
    public async Task AdvanceAsync(TimeSpan within)
    {
        await Time.WaitForTimerAsync(within, Timeout);
        Time.Advance(within);
    }

    public async Task<(string Reason, TimeSpan Delay)> NextLossAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        return await Lost.Reader.ReadAsync(cts.Token);
    }

    public async ValueTask DisposeAsync() => await Client.DisposeAsync();
}
