using System.Threading.Channels;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Mqtt.Session;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Session;

/// <summary>Session behaviour against a scripted broker on an in-memory pipe, with fake time.</summary>
public sealed class MqttClientSessionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan T = ClientHarness.Timeout;

    private static MqttApplicationMessage Message(string topic, int qos, string payload = "x") =>
        new(topic, System.Text.Encoding.UTF8.GetBytes(payload), qos);

    [Fact]
    public async Task Keep_alive_sends_PINGREQ_after_the_negotiated_interval_of_silence()
    {
        // A long PINGRESP timeout, so the only timer due within the interval is the keep-alive's.
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 5, PingTimeout = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromHours(1) });
        var broker = await harness.StartAsync();

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T));
        await broker.SendAsync(PingRespPacket.Instance);

        // The next interval is measured from the PINGREQ, and PINGRESP keeps the connection up.
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T));
        Assert.True(harness.Client.IsConnected);
    }

    [Fact]
    public async Task The_keep_alive_interval_is_the_one_sent_in_CONNECT()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 42, ConnectTimeout = TimeSpan.FromHours(1) });
        await harness.Client.StartAsync(CancellationToken.None);
        var broker = await harness.Transport.AcceptAsync(T);
        var connect = await broker.AcceptConnectAsync(T);
        Assert.Equal(42, connect.KeepAliveSeconds);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(42));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T));
    }

    [Fact]
    public async Task A_missing_PINGRESP_closes_the_connection_and_the_client_reconnects()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions
        {
            KeepAliveSeconds = 5, PingTimeout = TimeSpan.FromSeconds(2), ConnectTimeout = TimeSpan.FromHours(1),
        });
        var broker = await harness.StartAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T));

        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        var (reason, delay) = await harness.NextLossAsync();
        Assert.Contains("PINGRESP", reason, StringComparison.Ordinal);
        Assert.InRange(delay, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1));
        Assert.Null(await broker.ReadAsync(T)); // the old connection was closed

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        await harness.AcceptAsync();
    }

    [Fact]
    public async Task A_repeated_QoS_2_PUBLISH_before_PUBREL_gets_another_PUBREC_and_is_not_delivered_again()
    {
        await using var harness = new ClientHarness(output);
        var delivered = Channel.CreateUnbounded<MqttApplicationMessage>();
        harness.Client.MessageReceived = (m, _) => delivered.Writer.WriteAsync(m);
        var broker = await harness.StartAsync();

        await broker.SendAsync(new PublishPacket(Message("q2", 2, "once"), 7));
        Assert.Equal(new PubRecPacket(7), await broker.ReadAsync(T));
        await broker.SendAsync(new PublishPacket(Message("q2", 2, "once") with { Dup = true }, 7));
        Assert.Equal(new PubRecPacket(7), await broker.ReadAsync(T));
        await broker.SendAsync(new PubRelPacket(7));
        Assert.Equal(new PubCompPacket(7), await broker.ReadAsync(T));

        // After PUBCOMP the id is new again: the next PUBLISH with it is a new message.
        await broker.SendAsync(new PublishPacket(Message("q2", 2, "twice"), 7));
        Assert.Equal(new PubRecPacket(7), await broker.ReadAsync(T));

        var payloads = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var cts = new CancellationTokenSource(T);
            payloads.Add(System.Text.Encoding.UTF8.GetString((await delivered.Reader.ReadAsync(cts.Token)).Payload.Span));
        }

        Assert.Equal(["once", "twice"], payloads);
        Assert.False(delivered.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_PUBREL_for_an_unknown_id_is_still_answered_with_PUBCOMP()
    {
        await using var harness = new ClientHarness(output);
        var broker = await harness.StartAsync();
        await broker.SendAsync(new PubRelPacket(300));
        Assert.Equal(new PubCompPacket(300), await broker.ReadAsync(T));
    }

    [Fact]
    public async Task Acks_go_out_in_arrival_order()
    {
        await using var harness = new ClientHarness(output);
        harness.Client.MessageReceived = (_, _) => ValueTask.CompletedTask;
        var broker = await harness.StartAsync();
        await broker.SendAsync(new PublishPacket(Message("a", 1), 1));
        await broker.SendAsync(new PublishPacket(Message("a", 2), 2));
        await broker.SendAsync(new PublishPacket(Message("a", 0)));
        await broker.SendAsync(new PublishPacket(Message("a", 1), 3));
        Assert.Equal(new PubAckPacket(1), await broker.ReadAsync(T));
        Assert.Equal(new PubRecPacket(2), await broker.ReadAsync(T));
        Assert.Equal(new PubAckPacket(3), await broker.ReadAsync(T));
    }

    [Fact]
    public async Task The_ack_waits_for_the_handler_while_the_reader_keeps_answering_keep_alive()
    {
        await using var harness = new ClientHarness(output);
        var handlerEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.MessageReceived = async (_, _) =>
        {
            handlerEntered.TrySetResult();
            await release.Task;
        };
        var broker = await harness.StartAsync();
        await broker.SendAsync(new PublishPacket(Message("slow", 1), 5));
        await handlerEntered.Task.WaitAsync(T);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T)); // not the PUBACK: the handler is still running
        await broker.SendAsync(PingRespPacket.Instance);

        release.SetResult();
        Assert.Equal(new PubAckPacket(5), await broker.ReadAsync(T));
        Assert.True(harness.Client.IsConnected);
    }

    [Fact]
    public async Task Messages_queued_behind_a_slow_handler_arrive_complete_and_in_order()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, InboundQueueCapacity = 2, ConnectTimeout = TimeSpan.FromHours(1) });
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = Channel.CreateUnbounded<string>();
        harness.Client.MessageReceived = async (m, _) =>
        {
            await release.Task;
            await received.Writer.WriteAsync(System.Text.Encoding.UTF8.GetString(m.Payload.Span));
        };
        var broker = await harness.StartAsync();
        for (var i = 1; i <= 50; i++)
        {
            await broker.SendAsync(new PublishPacket(Message("t", 1, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), (ushort)i));
        }

        release.SetResult();
        for (var i = 1; i <= 50; i++)
        {
            using var cts = new CancellationTokenSource(T);
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), await received.Reader.ReadAsync(cts.Token));
            Assert.Equal(new PubAckPacket((ushort)i), await broker.ReadAsync(T));
        }
    }

    [Fact]
    public async Task A_QoS_1_publish_completes_on_PUBACK_and_is_resent_with_DUP_after_a_reconnect()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { CleanSession = false, KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var broker = await harness.StartAsync();
        var publish = harness.Client.PublishAsync(Message("out", 1), CancellationToken.None).AsTask();
        var first = await broker.ReadAsync<PublishPacket>(T);
        Assert.False(first.Message.Dup);

        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var again = await harness.AcceptAsync(sessionPresent: true);
        var resent = await again.ReadAsync<PublishPacket>(T);
        Assert.Equal((first.PacketId, true), (resent.PacketId, resent.Message.Dup));
        Assert.False(publish.IsCompleted);

        await again.SendAsync(new PubAckPacket(resent.PacketId));
        await publish.WaitAsync(T);
    }

    [Fact]
    public async Task A_QoS_2_publish_resends_PUBREL_not_PUBLISH_after_PUBREC_and_completes_on_PUBCOMP()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { CleanSession = false, KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var broker = await harness.StartAsync();
        var publish = harness.Client.PublishAsync(Message("out", 2), CancellationToken.None).AsTask();
        var sent = await broker.ReadAsync<PublishPacket>(T);
        await broker.SendAsync(new PubRecPacket(sent.PacketId));
        Assert.Equal(new PubRelPacket(sent.PacketId), await broker.ReadAsync(T));

        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var again = await harness.AcceptAsync(sessionPresent: true);
        Assert.Equal(new PubRelPacket(sent.PacketId), await again.ReadAsync(T));
        await again.SendAsync(new PubCompPacket(sent.PacketId));
        await publish.WaitAsync(T);
    }

    [Fact]
    public async Task Publishing_while_disconnected_waits_for_the_connection()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var publish = harness.Client.PublishAsync(Message("early", 0), CancellationToken.None).AsTask();
        Assert.False(publish.IsCompleted);
        var broker = await harness.StartAsync();
        Assert.Equal("early", (await broker.ReadAsync<PublishPacket>(T)).Message.Topic);
        await publish.WaitAsync(T);
    }

    [Fact]
    public async Task Publishing_while_disconnected_honours_the_cancellation_token()
    {
        await using var harness = new ClientHarness(output);
        using var cts = new CancellationTokenSource();
        var publish = harness.Client.PublishAsync(Message("never", 1), cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publish.WaitAsync(T));
    }

    [Fact]
    public async Task A_malformed_packet_from_the_broker_closes_the_connection_and_the_client_reconnects()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var broker = await harness.StartAsync();
        await broker.SendRawAsync([0x36, 0x03, 0x00, 0x01, 0x61]); // PUBLISH with QoS 3
        var (reason, _) = await harness.NextLossAsync();
        Assert.Contains("QoS 3", reason, StringComparison.Ordinal);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        await harness.AcceptAsync();
    }

    [Fact]
    public async Task An_invalid_UTF8_topic_from_the_broker_closes_the_connection()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var delivered = 0;
        harness.Client.MessageReceived = (_, _) => { delivered++; return ValueTask.CompletedTask; };
        var broker = await harness.StartAsync();
        await broker.SendRawAsync([0x30, 0x05, 0x00, 0x03, 0x61, 0xFF, 0x62]);
        var (reason, _) = await harness.NextLossAsync();
        Assert.Contains("UTF-8", reason, StringComparison.Ordinal);
        Assert.Equal(0, delivered);
    }

    [Fact]
    public async Task A_connection_lost_mid_packet_delivers_nothing_half_read()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var delivered = 0;
        harness.Client.MessageReceived = (_, _) => { delivered++; return ValueTask.CompletedTask; };
        var broker = await harness.StartAsync();
        await broker.SendRawAsync([0x30, 0x10, 0x00, 0x03, 0x61]);
        await broker.CloseAsync();
        var (reason, _) = await harness.NextLossAsync();
        Assert.Contains("middle of a packet", reason, StringComparison.Ordinal);
        Assert.Equal(0, delivered);
    }

    [Theory]
    [InlineData(1, "Connection refused - unacceptable protocol version")]
    [InlineData(2, "Connection refused - identifier rejected")]
    [InlineData(3, "Connection refused - server unavailable")]
    [InlineData(4, "Connection refused - bad user name or password")]
    [InlineData(5, "Connection refused - not authorised")]
    [InlineData(77, "Connection failed - result code 77")]
    public async Task A_refused_CONNACK_is_reported_in_words(byte code, string words)
    {
        await using var harness = new ClientHarness(output);
        var attempt = harness.Client.ConnectOnceAsync(CancellationToken.None);
        var broker = await harness.Transport.AcceptAsync(T);
        await broker.ReadAsync<ConnectPacket>(T);
        await broker.SendAsync(new ConnAckPacket(false, code));
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => attempt.WaitAsync(T));
        Assert.Equal($"Cannot connect to MQTT broker at fake:1883: {words}", ex.Message);
    }

    [Fact]
    public async Task Failed_attempts_are_logged_and_retried_with_growing_delays()
    {
        await using var harness = new ClientHarness(output);
        harness.Transport.RefuseWith = new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused);
        await harness.Client.StartAsync(CancellationToken.None);
        await harness.Logger.WaitForAsync(e => e.Message.Contains("retrying in 1s", StringComparison.Ordinal) || e.Message.Contains("retrying in 0.", StringComparison.Ordinal), T);
        var entry = harness.Logger.Entries.First(e => e.Message.StartsWith("Cannot connect", StringComparison.Ordinal));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, entry.Level);
        Assert.StartsWith("Cannot connect to MQTT broker at fake:1883: Connection refused; retrying in", entry.Message, StringComparison.Ordinal);

        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        await harness.Logger.WaitForAsync(e => e.Message.Contains("retrying in 1.", StringComparison.Ordinal) || e.Message.Contains("retrying in 2s", StringComparison.Ordinal), T);
        harness.Transport.RefuseWith = null;
        await harness.AdvanceAsync(TimeSpan.FromSeconds(2));
        await harness.AcceptAsync();
    }

    [Fact]
    public async Task A_refused_subscription_is_logged_with_its_filter()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        harness.Client.Subscriptions = [new MqttSubscription("ok/#", 1), new MqttSubscription("secret/#", 1)];
        var connected = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.Connected = (present, _) => { connected.TrySetResult(present); return ValueTask.CompletedTask; };
        await harness.Client.StartAsync(CancellationToken.None);
        var broker = await harness.Transport.AcceptAsync(T);
        await broker.AcceptConnectAsync(T);
        var subscribe = await broker.ReadAsync<SubscribePacket>(T);
        Assert.Equal(["ok/#", "secret/#"], subscribe.Subscriptions.Select(s => s.Filter));
        Assert.False(connected.Task.IsCompleted); // Connected comes after the resubscription
        await broker.SendAsync(new SubAckPacket(subscribe.PacketId, [1, SubAckPacket.Failure]));
        Assert.False(await connected.Task.WaitAsync(T));
        var warning = harness.Logger.Entries.Single(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning);
        Assert.Contains("secret/#", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_sends_DISCONNECT_and_does_not_reconnect()
    {
        var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var broker = await harness.StartAsync();
        await harness.Client.StopAsync(CancellationToken.None);
        Assert.IsType<DisconnectPacket>(await broker.ReadAsync(T));
        Assert.Null(await broker.ReadAsync(T));
        Assert.False(harness.Lost.Reader.TryRead(out _));
        Assert.False(harness.Client.IsConnected);
        await harness.DisposeAsync();
    }

    [Fact]
    public async Task A_broker_that_never_answers_CONNECT_times_out_after_ConnectTimeout()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { ConnectTimeout = TimeSpan.FromSeconds(10) });
        var attempt = harness.Client.ConnectOnceAsync(CancellationToken.None);
        var broker = await harness.Transport.AcceptAsync(T);
        await broker.ReadAsync<ConnectPacket>(T);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(10));
        var ex = await Assert.ThrowsAsync<MqttConnectException>(() => attempt.WaitAsync(T));
        Assert.Equal("Cannot connect to MQTT broker at fake:1883: no answer within 10s", ex.Message);
        Assert.Null(await broker.ReadAsync(T)); // and the half-open connection was closed
    }

    [Fact]
    public async Task After_a_reconnect_the_handler_never_runs_for_two_connections_at_once()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var running = 0;
        var overlaps = 0;
        var entered = Channel.CreateUnbounded<string>();
        harness.Client.MessageReceived = async (m, token) =>
        {
            if (Interlocked.Increment(ref running) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            await entered.Writer.WriteAsync(m.Topic, CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, token); // a slow handler, released only by cancellation
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        };
        var broker = await harness.StartAsync();
        await broker.SendAsync(new PublishPacket(Message("first", 0)));
        using var cts = new CancellationTokenSource(T);
        Assert.Equal("first", await entered.Reader.ReadAsync(cts.Token));

        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var again = await harness.AcceptAsync();
        await again.SendAsync(new PublishPacket(Message("second", 0)));
        Assert.Equal("second", await entered.Reader.ReadAsync(cts.Token));
        Assert.Equal(0, overlaps);
    }

    [Fact]
    public async Task A_QoS_2_message_handled_before_a_reconnect_is_not_delivered_again_when_the_broker_resends_it()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { CleanSession = false, KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var delivered = Channel.CreateUnbounded<string>();
        harness.Client.MessageReceived = (m, _) => delivered.Writer.WriteAsync(m.Topic);
        var broker = await harness.StartAsync();
        await broker.SendAsync(new PublishPacket(Message("exactly/once", 2), 9));
        Assert.Equal(new PubRecPacket(9), await broker.ReadAsync(T));

        // The PUBREC is "lost": the broker resends the PUBLISH on the resumed session.
        await broker.CloseAsync();
        await harness.NextLossAsync();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));
        var again = await harness.AcceptAsync(sessionPresent: true);
        await again.SendAsync(new PublishPacket(Message("exactly/once", 2) with { Dup = true }, 9));
        Assert.Equal(new PubRecPacket(9), await again.ReadAsync(T));
        await again.SendAsync(new PubRelPacket(9));
        Assert.Equal(new PubCompPacket(9), await again.ReadAsync(T));

        using var cts = new CancellationTokenSource(T);
        Assert.Equal("exactly/once", await delivered.Reader.ReadAsync(cts.Token));
        Assert.False(delivered.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_packet_above_MaxPacketSize_closes_the_connection_before_its_body_is_read()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, MaxPacketSize = 1024, ConnectTimeout = TimeSpan.FromHours(1) });
        var broker = await harness.StartAsync();
        await broker.SendRawAsync([0x30, 0xFF, 0xFF, 0xFF, 0x7F]); // announces 268 MB, sends nothing more
        var (reason, _) = await harness.NextLossAsync();
        Assert.Contains("exceeds the maximum packet size 1024", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/+/b")]
    [InlineData("a/#")]
    [InlineData("")]
    [InlineData("lone-surrogate")]
    public async Task Publishing_to_an_invalid_topic_name_fails_at_once(string topic)
    {
        await using var harness = new ClientHarness(output);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.PublishAsync(Message(topic == "lone-surrogate" ? "bad\uD800" : topic, 1), CancellationToken.None).AsTask());
    }
}
