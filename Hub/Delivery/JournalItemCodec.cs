using System.Buffers.Binary;
using System.Text;
using Hub.Formatting;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// The journal's item record payload: a length-prefixed binary layout instead of a JSON document (building a
/// <c>JsonObject</c> per item and writing it as text was most of the journal's per-item cost). Layout, little-endian:
/// accepted (UTC ticks, i64), flags (u8: 1 = binary message, 2 = has a target), priority (i32), the strings service,
/// target, section, topic, title, image and message (each i32 byte length + UTF-8), the payload (i32 + bytes), the
/// message bytes when binary (i32 + bytes), the data as JSON (i32 + UTF-8), then the visited targets and the route's
/// failover chain (each i32 count + strings). The descriptor and options are not stored: the target binds them again.
/// </summary>
internal static class JournalItemCodec
{
    [ThreadStatic]
    private static StringBuilder? t_data;

    public static byte[] Encode(QueuedItem queued)
    {
        var item = queued.Item;
        var data = Encoding.UTF8.GetBytes(DataJson(item.Data));
        var failover = References(queued.RouteFailover);
        var size = 8 + 1 + 4 + Text(item.Service) + Text(item.Target) + Text(item.Section) + Text(item.Topic) + Text(item.Title)
            + Text(item.Image) + Text(item.Message) + 4 + item.Payload.Length + (item.IsBinary ? 4 + item.MessageBytes.Length : 0)
            + 4 + data.Length + Texts(queued.Visited) + Texts(failover);
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteInt64LittleEndian(span, queued.Accepted.UtcTicks);
        span[8] = (byte)((item.IsBinary ? 1 : 0) | (item.Target is null ? 0 : 2));
        BinaryPrimitives.WriteInt32LittleEndian(span[9..], item.Priority);
        var at = 13;
        foreach (var text in (ReadOnlySpan<string?>)[item.Service, item.Target, item.Section, item.Topic, item.Title, item.Image, item.Message])
        {
            at = Put(span, at, text);
        }

        at = Put(span, at, item.Payload.Span);
        if (item.IsBinary)
        {
            at = Put(span, at, item.MessageBytes.Span);
        }

        at = Put(span, at, data);
        at = Put(span, at, queued.Visited);
        Put(span, at, failover);
        return buffer;
    }

    public static QueuedItem Decode(ReadOnlySpan<byte> record)
    {
        var accepted = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(record), TimeSpan.Zero);
        var flags = record[8];
        var priority = BinaryPrimitives.ReadInt32LittleEndian(record[9..]);
        var at = 13;
        var service = TakeText(record, ref at);
        var target = TakeText(record, ref at);
        var section = TakeText(record, ref at);
        var topic = TakeText(record, ref at);
        var title = TakeText(record, ref at);
        var image = TakeText(record, ref at);
        var message = TakeText(record, ref at);
        var payload = Take(record, ref at).ToArray();
        var isBinary = (flags & 1) != 0;
        var messageBytes = isBinary ? Take(record, ref at).ToArray() : Encoding.UTF8.GetBytes(message);
        var data = JsonData.TryParseObject(Take(record, ref at)) ?? new Dictionary<string, object?>();
        var visited = TakeTexts(record, ref at);
        var failover = TakeTexts(record, ref at);
        var item = new DeliveryItem
        {
            Service = service,
            Target = (flags & 2) != 0 ? target : null,
            Section = section,
            Topic = topic,
            Title = title,
            Priority = priority,
            Image = image,
            Message = message,
            IsBinary = isBinary,
            Payload = payload,
            MessageBytes = messageBytes,
            Data = data,
        };
        // Only the references are stored: the generation that delivers the item resolves them to its own targets.
        return new QueuedItem(item, accepted) { Visited = visited, RouteFailover = [.. failover.Select(r => new FailoverLink(r, []))] };
    }

    private static string[] References(IReadOnlyList<FailoverLink> chain) => [.. chain.Select(l => l.Reference)];

    /// <summary>The data as one JSON object (Python's json.dumps of each value); a value JSON cannot hold (bytes a function added) is left out.</summary>
    private static string DataJson(IReadOnlyDictionary<string, object?> data)
    {
        var json = t_data ??= new StringBuilder(512);
        json.Clear().Append('{');
        foreach (var (key, value) in data)
        {
            var mark = json.Length;
            try
            {
                if (mark > 1)
                {
                    json.Append(", ");
                }

                PyJson.Append(json, key);
                json.Append(": ");
                PyJson.Append(json, value);
            }
            catch (FormatException)
            {
                json.Length = mark; // not JSON-representable: skipped
            }
        }

        var text = json.Append('}').ToString();
        if (json.Capacity > 1 << 16)
        {
            t_data = null;
        }

        return text;
    }

    private static int Text(string? text) => 4 + (text is null ? 0 : Encoding.UTF8.GetByteCount(text));

    private static int Texts(IReadOnlyList<string> texts)
    {
        var size = 4;
        foreach (var text in texts)
        {
            size += Text(text);
        }

        return size;
    }

    private static int Put(Span<byte> span, int at, string? text)
    {
        var length = text is null ? 0 : Encoding.UTF8.GetBytes(text, span[(at + 4)..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], length);
        return at + 4 + length;
    }

    private static int Put(Span<byte> span, int at, ReadOnlySpan<byte> bytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], bytes.Length);
        bytes.CopyTo(span[(at + 4)..]);
        return at + 4 + bytes.Length;
    }

    private static int Put(Span<byte> span, int at, IReadOnlyList<string> texts)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], texts.Count);
        at += 4;
        foreach (var text in texts)
        {
            at = Put(span, at, text);
        }

        return at;
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> record, ref int at)
    {
        var length = BinaryPrimitives.ReadInt32LittleEndian(record[at..]);
        var bytes = record.Slice(at + 4, length);
        at += 4 + length;
        return bytes;
    }

    private static string TakeText(ReadOnlySpan<byte> record, ref int at) => Encoding.UTF8.GetString(Take(record, ref at));

    private static string[] TakeTexts(ReadOnlySpan<byte> record, ref int at)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(record[at..]);
        at += 4;
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            texts[i] = TakeText(record, ref at);
        }

        return texts;
    }
}
