using System.Globalization;
using System.Text;
using Hub.Mqtt;
using Hub.Mqtt.Packets;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Mqtt.Session;

/// <summary><see cref="MqttClient.MessageAccepting"/>: the next message is handled before the previous one is accepted,
/// and acknowledgements still leave in arrival order, each once its message is accepted.</summary>
public sealed class PipelinedAckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan T = ClientHarness.Timeout;

    private static PublishPacket Publish(int id, int qos = 1) =>
        new(new MqttApplicationMessage("t", Encoding.UTF8.GetBytes(id.ToString(CultureInfo.InvariantCulture)), qos), (ushort)id);

    [Fact]
    public async Task Acknowledgements_wait_for_acceptance_and_keep_arrival_order_when_acceptances_complete_out_of_order()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 5, PingTimeout = TimeSpan.FromMinutes(1), ConnectTimeout = TimeSpan.FromHours(1) });
        var accepted = Enumerable.Range(0, 4).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var handled = new List<int>();
        var allHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.MessageAccepting = (m, _) =>
        {
            var id = int.Parse(Encoding.UTF8.GetString(m.Payload.Span), CultureInfo.InvariantCulture);
            lock (handled)
            {
                handled.Add(id);
                if (handled.Count == 3)
                {
                    allHandled.TrySetResult();
                }
            }

            return ValueTask.FromResult(accepted[id].Task);
        };
        var broker = await harness.StartAsync();
        await broker.SendAsync(Publish(1));
        await broker.SendAsync(Publish(2, qos: 2));
        await broker.SendAsync(Publish(3));

        // All three are handled while none is accepted: the dispatcher does not wait for acceptance.
        await allHandled.Task.WaitAsync(T);
        Assert.Equal([1, 2, 3], handled);

        // 3 and 2 are accepted first, but 1 must be acknowledged first.
        accepted[3].SetResult();
        accepted[2].SetResult();
        await harness.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<PingReqPacket>(await broker.ReadAsync(T)); // the first packet since CONNECT: 2 and 3 were not acknowledged
        await broker.SendAsync(PingRespPacket.Instance);
        accepted[1].SetResult();
        Assert.Equal(new PubAckPacket(1), await broker.ReadAsync(T));
        Assert.Equal(new PubRecPacket(2), await broker.ReadAsync(T));
        Assert.Equal(new PubAckPacket(3), await broker.ReadAsync(T));
    }

    [Fact]
    public async Task QoS_0_messages_need_no_acceptance_and_do_not_wait_behind_unaccepted_ones()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        var never = new TaskCompletionSource(); // completed at the end: disconnecting waits (on the fake clock) for owed acknowledgements
        var zeroHandled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.MessageAccepting = (m, _) =>
        {
            if (m.Qos == 0)
            {
                zeroHandled.TrySetResult();
            }

            return ValueTask.FromResult(m.Qos == 0 ? Task.CompletedTask : never.Task);
        };
        var broker = await harness.StartAsync();
        await broker.SendAsync(Publish(1));
        await broker.SendAsync(new PublishPacket(new MqttApplicationMessage("t", Encoding.UTF8.GetBytes("zero"), 0), 0));
        await zeroHandled.Task.WaitAsync(T);
        Assert.True(harness.Client.IsConnected);
        never.SetResult();
        Assert.Equal(new PubAckPacket(1), await broker.ReadAsync(T));
    }

    [Fact]
    public async Task A_failed_acceptance_is_logged_and_the_message_acknowledged_as_for_a_failing_handler()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions { KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1) });
        harness.Client.MessageAccepting = (_, _) => ValueTask.FromResult(Task.FromException(new IOException("disk full")));
        var broker = await harness.StartAsync();
        await broker.SendAsync(Publish(7));
        Assert.Equal(new PubAckPacket(7), await broker.ReadAsync(T));
    }

    [Fact]
    public async Task MQTT_5_a_broker_exceeding_our_receive_maximum_is_a_protocol_error_and_acknowledged_messages_free_their_slot()
    {
        await using var harness = new ClientHarness(output, new MqttClientOptions
        {
            ProtocolLevel = 5, KeepAliveSeconds = 0, ConnectTimeout = TimeSpan.FromHours(1), ReceiveMaximum = 2,
        });
        harness.Transport.ProtocolLevel = 5;
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Client.MessageAccepting = (m, _) =>
        {
            var id = Encoding.UTF8.GetString(m.Payload.Span);
            if (id == "3")
            {
                third.TrySetResult();
            }

            return ValueTask.FromResult(id == "1" ? first.Task : never.Task);
        };
        var broker = await harness.StartAsync();

        // 1 and 2 fill the window; 1 is acknowledged, so 3 fits; 4 is one too many.
        await broker.SendAsync(Publish(1));
        await broker.SendAsync(Publish(2));
        first.SetResult();
        Assert.Equal(new PubAckPacket(1), await broker.ReadAsync(T));
        await broker.SendAsync(Publish(3));
        await third.Task.WaitAsync(T); // 3 was taken: the slot 1 held is free again
        await broker.SendAsync(Publish(4));
        var (reason, _) = await harness.NextLossAsync();
        Assert.Contains("Receive Maximum of 2", reason, StringComparison.Ordinal);
    }
}
