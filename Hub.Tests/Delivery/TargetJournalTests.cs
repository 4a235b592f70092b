using System.Text;
using Hub.Delivery;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>The durable journal: what survives a restart, a torn last record, corruption, and compaction.</summary>
public sealed class TargetJournalTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CollectingLogger _log = new();

    public void Dispose() => _temp.Dispose();

    private string PathOf => Path.Combine(_temp.Path, "journal", "svc", "t.journal");

    private TargetJournal Open(out IReadOnlyList<QueuedItem> recovered) => TargetJournal.Open(PathOf, _log, out recovered);

    [Fact]
    public async Task Items_appended_and_not_done_come_back_in_order_after_a_restart()
    {
        var journal = Open(out var none);
        Assert.Empty(none);
        var appended = new List<(QueuedItem Journaled, Task Durable)>();
        foreach (var message in new[] { "one", "two", "three", "four" })
        {
            appended.Add(journal.Append(Some.Item(message, topic: "alarms/" + message)));
        }

        await Task.WhenAll(appended.Select(a => a.Durable));
        journal.Complete(appended[1].Journaled);
        journal.Complete(appended[3].Journaled);
        await journal.DisposeAsync();

        journal = Open(out var recovered);
        Assert.Equal(["one", "three"], recovered.Select(r => r.Item.Message));
        Assert.Equal(["alarms/one", "alarms/three"], recovered.Select(r => r.Item.Topic));
        Assert.Equal(2, journal.PendingCount);

        // New sequence numbers continue after the old ones, so marking done stays unambiguous.
        var (next, durable) = journal.Append(Some.Item("five"));
        await durable;
        Assert.True(next.JournalSequence > recovered[^1].JournalSequence);
        journal.Complete(recovered[0]);
        await journal.DisposeAsync();

        Open(out recovered).DisposeAsync().AsTask().Wait();
        Assert.Equal(["three", "five"], recovered.Select(r => r.Item.Message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(30)]
    public async Task A_torn_last_record_is_reported_and_only_that_record_is_lost(int cut)
    {
        var journal = Open(out _);
        foreach (var message in new[] { "kept 1", "kept 2", "torn" })
        {
            await journal.Append(Some.Item(message)).Durable;
        }

        await journal.DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(PathOf);
        await File.WriteAllBytesAsync(PathOf, bytes[..^cut]);

        await using var reopened = Open(out var recovered);
        Assert.Equal(["kept 1", "kept 2"], recovered.Select(r => r.Item.Message));
        Assert.Contains(_log.Records, r => r.Message.Contains("is torn or corrupt", StringComparison.Ordinal) && r.Message.Contains(PathOf, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_record_ends_the_journal_there()
    {
        var journal = Open(out _);
        await journal.Append(Some.Item("good")).Durable;
        await journal.Append(Some.Item("flipped")).Durable;
        await journal.DisposeAsync();
        var bytes = await File.ReadAllBytesAsync(PathOf);
        bytes[^5] ^= 0x40; // inside the second record's payload: its CRC no longer matches
        await File.WriteAllBytesAsync(PathOf, bytes);

        await using var reopened = Open(out var recovered);
        Assert.Equal(["good"], recovered.Select(r => r.Item.Message));
    }

    [Fact]
    public async Task The_file_stays_bounded_while_much_more_passes_through_it()
    {
        var journal = Open(out _);
        var big = new string('x', 4096);
        for (var i = 0; i < 1000; i++)
        {
            var (journaled, durable) = journal.Append(Some.Item(big));
            await durable;
            journal.Complete(journaled);
        }

        await journal.Append(Some.Item("still pending")).Durable;
        await journal.DisposeAsync();

        // About 4 MB went through; compaction keeps the file near its 1 MB threshold.
        Assert.True(new FileInfo(PathOf).Length < (1 << 20) + 16 * 1024, $"{new FileInfo(PathOf).Length} bytes");
        await using var reopened = Open(out var recovered);
        Assert.Equal(["still pending"], recovered.Select(r => r.Item.Message));
    }

    [Fact]
    public async Task Binary_items_and_their_data_survive()
    {
        var journal = Open(out _);
        var bytes = new byte[] { 0, 0xFF, 0x89, 0x50, 0x4E, 0x47 };
        await journal.Append(new Hub.Plugins.DeliveryItem
        {
            Service = "svc", Section = "s", Target = "t", Topic = "cam/1", Message = "", IsBinary = true, Payload = bytes, MessageBytes = bytes,
            Data = Some.Dict(("camera", "front"), ("n", 3L)), Title = "Snapshot", Priority = 2,
        }).Durable;
        await journal.DisposeAsync();

        await using var reopened = Open(out var recovered);
        var item = Assert.Single(recovered).Item;
        Assert.Equal(bytes, item.MessageBytes.ToArray());
        Assert.Equal(("front", 3L, "Snapshot", 2), (item.Data["camera"], item.Data["n"], item.Title, item.Priority));
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(item.Payload.Span));
    }
}
