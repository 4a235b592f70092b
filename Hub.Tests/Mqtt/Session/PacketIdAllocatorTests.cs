using Hub.Mqtt;
using Hub.Mqtt.Session;

namespace Hub.Tests.Mqtt.Session;

public sealed class PacketIdAllocatorTests
{
    [Fact]
    public void Ids_count_up_from_one()
    {
        var ids = new PacketIdAllocator();
        Assert.Equal([1, 2, 3], new[] { ids.Next(_ => false), ids.Next(_ => false), ids.Next(_ => false) }.Select(i => (int)i));
    }

    [Fact]
    public void After_65535_the_next_id_is_1_never_0()
    {
        var ids = new PacketIdAllocator(65534);
        Assert.Equal(65535, ids.Next(_ => false));
        Assert.Equal(1, ids.Next(_ => false));
    }

    [Fact]
    public void Ids_still_in_flight_are_skipped_across_the_wrap()
    {
        var ids = new PacketIdAllocator(65534);
        var inUse = new HashSet<ushort> { 65535, 1, 2 };
        Assert.Equal(3, ids.Next(inUse.Contains));
    }

    [Fact]
    public void When_every_id_is_in_use_allocation_fails_instead_of_looping() =>
        Assert.Throws<InvalidOperationException>(() => new PacketIdAllocator().Next(_ => true));

    [Fact]
    public void The_session_skips_ids_of_unacknowledged_publishes()
    {
        var session = new SessionState(new PacketIdAllocator(65533));
        var first = session.BeginPublish(new MqttApplicationMessage("t", ReadOnlyMemory<byte>.Empty, 1));
        var second = session.BeginPublish(new MqttApplicationMessage("t", ReadOnlyMemory<byte>.Empty, 1));
        session.OnPubAck(first.Packet!.PacketId);
        var third = session.BeginPublish(new MqttApplicationMessage("t", ReadOnlyMemory<byte>.Empty, 1));
        Assert.Equal((65534, 65535, 1), (first.Packet!.PacketId, second.Packet!.PacketId, third.Packet!.PacketId));
        Assert.True(first.Completion.IsCompletedSuccessfully);
        Assert.False(second.Completion.IsCompleted);
    }

    [Fact]
    public void An_ack_for_an_unknown_or_mismatched_id_changes_nothing()
    {
        var session = new SessionState();
        var flight = session.BeginPublish(new MqttApplicationMessage("t", ReadOnlyMemory<byte>.Empty, 2));
        session.OnPubAck(flight.Packet!.PacketId); // PUBACK is the wrong ack for QoS 2
        session.OnPubComp(999);
        Assert.False(flight.Completion.IsCompleted);
        Assert.Equal(1, session.OutgoingCount);
    }

    [Fact]
    public void Beyond_the_in_flight_window_publishes_wait_in_order_and_take_freed_slots()
    {
        var session = new SessionState(maxInflight: 2);
        var sent = new List<ushort>();
        void Send(Hub.Mqtt.Packets.PublishPacket p) => sent.Add(p.PacketId);
        var flights = Enumerable.Range(0, 4).Select(_ => session.BeginPublish(new MqttApplicationMessage("t", ReadOnlyMemory<byte>.Empty, 1), Send)).ToList();
        Assert.Equal([1, 2], sent.Select(i => (int)i));
        Assert.Null(flights[2].Packet);

        session.OnPubAck(1, Send);
        session.OnPubAck(2, Send);
        Assert.Equal([1, 2, 3, 4], sent.Select(i => (int)i));
        Assert.Equal(2, session.OutgoingCount);
    }
}
