using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>The window and the backlog behind it (the journal), alone: journaled items keep their order across both.</summary>
public sealed class TargetWindowTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private readonly CollectingLogger _log = new();
    private TargetJournal _journal = null!;

    public Task InitializeAsync()
    {
        _journal = TargetJournal.Open(Path.Combine(_temp.Path, "t.journal"), _log);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _journal.DisposeAsync();
        _temp.Dispose();
    }

    private static QueuedItem Item(string message) => new(Some.Item(message), DateTimeOffset.UnixEpoch);

    private Task Append(TargetWindow window, string message)
    {
        var queued = Item(message);
        return window.Append(_journal, queued, inline: null).Durable;
    }

    private List<string> Read(TargetWindow window)
    {
        var read = new List<string>();
        while (window.Reader.TryRead(out var queued))
        {
            read.Add(queued.Item.Message);
            _journal.Complete(queued);
        }

        return read;
    }

    [Fact]
    public async Task What_does_not_fit_waits_in_the_journal_and_later_items_queue_behind_it_even_when_the_window_has_room()
    {
        var window = new TargetWindow(2);
        window.UseJournal(_journal, item => item);
        await Task.WhenAll(new[] { "a", "b", "c", "d" }.Select(m => Append(window, m)));

        Assert.Equal(["a", "b"], Read(window));
        await Append(window, "e"); // the window has room now, but c and d came first
        Assert.Empty(Read(window));
        Assert.Equal(3, window.Count);

        window.Refill(); // c and d are on disk by now: read back from the file
        Assert.Equal(["c", "d"], Read(window));
        window.Refill();
        Assert.Equal(["e"], Read(window));
        Assert.True(window.IsEmpty);
        await Append(window, "f"); // caught up: straight into the window again
        Assert.Equal(["f"], Read(window));
    }

    [Fact]
    public async Task A_backlog_of_items_not_yet_on_disk_is_read_from_memory_in_order_with_those_on_disk()
    {
        var window = new TargetWindow(1);
        window.UseJournal(_journal, item => item);
        var written = new List<Task>();
        for (var i = 0; i < 500; i++)
        {
            written.Add(Append(window, $"m{i:D3}"));
        }

        var read = new List<string>();
        while (read.Count < 500)
        {
            window.Refill();
            var next = Read(window);
            Assert.NotEmpty(next);
            read.AddRange(next);
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"m{i:D3}"), read);
        await Task.WhenAll(written).WaitAsync(Wait);
    }

    [Fact]
    public async Task Journaled_leftovers_stay_in_the_journal_and_the_next_window_over_it_takes_them_first()
    {
        var window = new TargetWindow(1);
        window.UseJournal(_journal, item => item);
        await Append(window, "a");
        await Append(window, "b");
        window.Complete();
        Assert.Empty(window.TakeAll());

        var next = new TargetWindow(10);
        Assert.Equal(2, next.UseJournal(_journal, item => new Hub.Plugins.DeliveryItem { Service = item.Service, Section = item.Section, Topic = item.Topic, Message = item.Message, Addrs = "bound" }));
        next.Refill();
        var read = new List<QueuedItem>();
        while (next.Reader.TryRead(out var queued))
        {
            read.Add(queued);
        }

        Assert.Equal(["a", "b"], read.Select(q => q.Item.Message));
        Assert.All(read, q => Assert.Equal("bound", q.Item.Addrs)); // read back from disk: bound to the target again
    }
}
