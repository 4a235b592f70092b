using System.Buffers.Binary;
using System.Text;
using Hub.Delivery;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery;

/// <summary>
/// The journal's on-disk format across versions: a journal written by an older Hub (kind 3 records with the data as
/// JSON text, kind 1 JSON documents) is read and then appended to; one written by a newer Hub is refused, untouched.
/// </summary>
public sealed class TargetJournalFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly CollectingLogger _log = new();

    public void Dispose() => _temp.Dispose();

    private string PathOf => Path.Combine(_temp.Path, "journal", "svc", "t.journal");

    [Fact]
    public async Task A_journal_of_the_previous_format_is_read_in_order_and_new_records_follow_it()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(PathOf)!);
        var accepted = new DateTimeOffset(2026, 12, 7, 17, 0, 0, TimeSpan.Zero);
        var old = new MemoryStream();
        JournalRecords.Write(old, 3, 1, Version3(accepted, "first", "{\"topic\": \"a/1\", \"n\": 1, \"t\": 21.5}", ["svc:t"], ["log:crit"]));
        JournalRecords.Write(old, 3, 2, Version3(accepted, "second (done)", "{}", ["svc:t"], []));
        JournalRecords.Write(old, 1, 3, Encoding.UTF8.GetBytes(ItemJson.ToJson(Some.Item("third, as JSON")).ToJsonString()));
        JournalRecords.Write(old, 2, 2, []);
        await File.WriteAllBytesAsync(PathOf, old.ToArray());

        var journal = TargetJournal.Open(PathOf, _log, out var recovered);
        Assert.Equal(["first", "third, as JSON"], recovered.Select(r => r.Item.Message));
        var first = recovered[0];
        Assert.Equal((accepted, "a/1", 1L, 21.5), (first.Accepted, first.Item.Data["topic"], first.Item.Data["n"], first.Item.Data["t"]));
        Assert.Equal(["svc:t"], first.Visited);
        Assert.Equal(["log:crit"], first.RouteFailover.Select(l => l.Reference));
        await journal.Append(Some.Item("fourth, new format")).Durable;
        journal.Complete(first);
        await journal.DisposeAsync();

        await using var reopened = TargetJournal.Open(PathOf, _log, out recovered);
        Assert.Equal(["third, as JSON", "fourth, new format"], recovered.Select(r => r.Item.Message));
        Assert.Equal([3L, 4L], recovered.Select(r => r.JournalSequence));
    }

    [Fact]
    public async Task A_journal_with_a_record_of_a_newer_format_is_refused_with_its_path_and_left_as_it_is()
    {
        var journal = TargetJournal.Open(PathOf, _log);
        await journal.Append(Some.Item("readable")).Durable;
        await journal.DisposeAsync();
        var file = new MemoryStream();
        file.Write(await File.ReadAllBytesAsync(PathOf));
        JournalRecords.Write(file, 9, 2, [1, 2, 3]);
        await File.WriteAllBytesAsync(PathOf, file.ToArray());

        var refused = Assert.Throws<IOException>(() => TargetJournal.Open(PathOf, _log));

        Assert.Contains(PathOf, refused.Message, StringComparison.Ordinal);
        Assert.Contains("kind 9, which a newer version of Hub writes", refused.Message, StringComparison.Ordinal);
        Assert.Equal(file.ToArray(), await File.ReadAllBytesAsync(PathOf));
    }

    /// <summary>A kind 3 item payload as the previous version wrote it: i32 lengths, the message always, the data as JSON text.</summary>
    private static byte[] Version3(DateTimeOffset accepted, string message, string dataJson, string[] visited, string[] failover)
    {
        var record = new MemoryStream();
        var number = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, accepted.UtcTicks);
        record.Write(number);
        record.WriteByte(2); // has a target
        Int(record, 0); // priority
        foreach (var text in new[] { "svc", "t", "a/#", "a/1", "", "", message })
        {
            Bytes(record, Encoding.UTF8.GetBytes(text));
        }

        Bytes(record, Encoding.UTF8.GetBytes(message)); // payload
        Bytes(record, Encoding.UTF8.GetBytes(dataJson));
        foreach (var texts in new[] { visited, failover })
        {
            Int(record, texts.Length);
            foreach (var text in texts)
            {
                Bytes(record, Encoding.UTF8.GetBytes(text));
            }
        }

        return record.ToArray();
    }

    private static void Int(Stream into, int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        into.Write(bytes);
    }

    private static void Bytes(Stream into, byte[] bytes)
    {
        Int(into, bytes.Length);
        into.Write(bytes);
    }
}
