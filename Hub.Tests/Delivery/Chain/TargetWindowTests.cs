using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>The window and the backlog behind it, alone: journaled items keep their order across both.</summary>
public sealed class TargetWindowTests
{
    private static QueuedItem Item(string message) => new(Some.Item(message), DateTimeOffset.UnixEpoch);

    private static List<string> Read(TargetWindow window)
    {
        var read = new List<string>();
        while (window.Reader.TryRead(out var queued))
        {
            read.Add(queued.Item.Message);
        }

        return read;
    }

    [Fact]
    public void What_does_not_fit_waits_in_the_backlog_and_later_items_queue_behind_it_even_when_the_window_has_room()
    {
        var window = new TargetWindow(2);
        foreach (var message in new[] { "a", "b", "c", "d" })
        {
            window.Spill(Item(message));
        }

        Assert.Equal(["a", "b"], Read(window));
        window.Spill(Item("e")); // the window has room now, but c and d came first
        Assert.Empty(Read(window));
        Assert.Equal(3, window.Count);

        window.Refill();
        Assert.Equal(["c", "d"], Read(window));
        window.Refill();
        Assert.Equal(["e"], Read(window));
        Assert.True(window.IsEmpty);
    }

    [Fact]
    public void Leftovers_come_out_window_first_then_backlog()
    {
        var window = new TargetWindow(1);
        window.Spill(Item("a"));
        window.Spill(Item("b"));
        window.Complete();

        Assert.Equal(["a", "b"], window.TakeAll().Select(q => q.Item.Message));
    }
}
