using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using Hub.Formatting;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// The journal's item record payload, binary and without any JSON text (building the data's JSON text per item was
/// most of the journal's per-item cost). Kind 4 (written): accepted (UTC ticks, i64 LE), flags (u8: 1 = binary
/// message, 2 = has a target, 4 = the message is the payload as UTF-8 and is not stored), priority (zigzag varint),
/// the strings service, [target], section, topic, title, image, [message] (each a varint byte length + UTF-8), the
/// payload (varint length + bytes), the message bytes when binary, the data (i32 member count, then key + tagged value
/// each: <see cref="Tag"/>), then the visited targets and the route's failover references (varint count + strings).
/// Kind 3 (read, from the previous version): the same head with i32 lengths, the message always stored, and the data as
/// JSON text. The descriptor and options are not stored: the target binds them again.
/// </summary>
internal static class JournalItemCodec
{
    /// <summary>A data value's type in a kind 4 record.</summary>
    private enum Tag : byte
    {
        Null, False, True, Integer, Real, Text, BigInteger, List, Map,
        /// <summary>The item's topic (the data's <c>topic</c>): not stored again.</summary>
        Topic,
        /// <summary>The item's message (the data's <c>payload</c> when unformatted): not stored again.</summary>
        Message,
    }

    private const byte Binary = 1, HasTarget = 2, MessageIsPayload = 4;

    [ThreadStatic]
    private static byte[]? t_scratch;

    [ThreadStatic]
    private static (byte[] Utf8, string Text)[]? t_keys;

    /// <summary>The payload of an item record (for tests and tools: the journal encodes into a reused buffer).</summary>
    public static byte[] Encode(QueuedItem queued) => Encode(queued, out var length).AsSpan(0, length).ToArray();

    /// <summary>
    /// Encodes the item into this thread's scratch buffer (returned; valid until the thread's next call) and its length:
    /// no allocation per item once the buffer has grown to the largest item.
    /// </summary>
    public static byte[] Encode(QueuedItem queued, out int length)
    {
        var writer = new Writer(t_scratch ??= new byte[1024]);
        var item = queued.Item;
        writer.Ensure(32);
        BinaryPrimitives.WriteInt64LittleEndian(writer.Buffer.AsSpan(writer.At), queued.Accepted.UtcTicks);
        var flagsAt = writer.At + 8;
        writer.At += 9;
        writer.Varint(ZigZag(item.Priority));
        writer.Text(item.Service);
        if (item.Target is not null)
        {
            writer.Text(item.Target);
        }

        writer.Text(item.Section);
        writer.Text(item.Topic);
        writer.Text(item.Title);
        writer.Text(item.Image);
        var messageAt = writer.At;
        writer.Text(item.Message);
        var messageIsPayload = false;
        if (!item.IsBinary && writer.At - messageAt - VarintSize(item.Payload.Length) == item.Payload.Length
            && writer.Buffer.AsSpan(writer.At - item.Payload.Length, item.Payload.Length).SequenceEqual(item.Payload.Span))
        {
            messageIsPayload = true; // most routes: the message is the payload as text
            writer.At = messageAt;
        }

        writer.Bytes(item.Payload.Span);
        if (item.IsBinary)
        {
            writer.Bytes(item.MessageBytes.Span);
        }

        writer.Data(item);
        writer.Texts(queued.Visited);
        writer.Varint((uint)queued.RouteFailover.Count);
        foreach (var link in queued.RouteFailover)
        {
            writer.Text(link.Reference);
        }

        writer.Buffer[flagsAt] = (byte)((item.IsBinary ? Binary : 0) | (item.Target is null ? 0 : HasTarget) | (messageIsPayload ? MessageIsPayload : 0));
        t_scratch = writer.Buffer.Length > 1 << 20 ? null : writer.Buffer; // a huge item's buffer is not kept
        length = writer.At;
        return writer.Buffer;
    }

    /// <summary>An item record's payload back, for a record of <paramref name="kind"/> 4 (or 3, the previous version's).</summary>
    public static QueuedItem Decode(ReadOnlySpan<byte> record, byte kind = 4, long sequence = 0, int recordBytes = 0)
    {
        if (kind == 3)
        {
            return DecodeVersion3(record, sequence, recordBytes);
        }

        var reader = new Reader(record);
        var accepted = new DateTimeOffset(reader.Int64(), TimeSpan.Zero);
        var flags = reader.Byte();
        var priority = UnZigZag(reader.Varint());
        var service = reader.Text();
        var target = (flags & HasTarget) != 0 ? reader.Text() : null;
        var section = reader.Text();
        var topic = reader.Text();
        var title = reader.Text();
        var image = reader.Text();
        var message = (flags & MessageIsPayload) != 0 ? null : reader.Text();
        var payload = reader.Bytes().ToArray();
        var isBinary = (flags & Binary) != 0;
        message ??= Encoding.UTF8.GetString(payload);
        var messageBytes = isBinary ? reader.Bytes().ToArray() : (flags & MessageIsPayload) != 0 ? payload : Encoding.UTF8.GetBytes(message);
        var data = reader.Data(topic, message);
        var visited = reader.Texts();
        var failover = reader.Texts();
        return Queued(
            new DeliveryItem
            {
                Service = service,
                Target = target,
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
            },
            accepted, visited, failover, sequence, recordBytes);
    }

    /// <summary>Only the references are stored: the generation that delivers the item resolves them to its own targets.</summary>
    private static QueuedItem Queued(DeliveryItem item, DateTimeOffset accepted, string[] visited, string[] failover, long sequence, int recordBytes)
    {
        var links = failover.Length == 0 ? [] : new FailoverLink[failover.Length];
        for (var i = 0; i < links.Length; i++)
        {
            links[i] = new FailoverLink(failover[i], []);
        }

        return new QueuedItem(item, accepted) { Visited = visited, RouteFailover = links, JournalSequence = sequence, JournalBytes = recordBytes };
    }

    private static QueuedItem DecodeVersion3(ReadOnlySpan<byte> record, long sequence, int recordBytes)
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
        return Queued(item, accepted, visited, failover, sequence, recordBytes);
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

    private static uint ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static int UnZigZag(ulong value) => (int)((uint)value >> 1) ^ -(int)((uint)value & 1);

    private static int VarintSize(int value) => value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;

    /// <summary>Appends to a growing buffer (the thread's scratch, replaced by a larger one when it does not fit).</summary>
    private ref struct Writer(byte[] buffer)
    {
        public byte[] Buffer = buffer;
        public int At;

        public void Ensure(int count)
        {
            if (Buffer.Length - At < count)
            {
                Array.Resize(ref Buffer, Math.Max(Buffer.Length * 2, At + count));
            }
        }

        public void Varint(ulong value)
        {
            Ensure(10);
            while (value >= 0x80)
            {
                Buffer[At++] = (byte)(value | 0x80);
                value >>= 7;
            }

            Buffer[At++] = (byte)value;
        }

        public void Text(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                Varint(0);
                return;
            }

            var length = Encoding.UTF8.GetByteCount(text);
            Varint((uint)length);
            Ensure(length);
            At += Encoding.UTF8.GetBytes(text, Buffer.AsSpan(At));
        }

        public void Bytes(ReadOnlySpan<byte> bytes)
        {
            Varint((uint)bytes.Length);
            Ensure(bytes.Length);
            bytes.CopyTo(Buffer.AsSpan(At));
            At += bytes.Length;
        }

        public void Texts(IReadOnlyList<string> texts)
        {
            Varint((uint)texts.Count);
            foreach (var text in texts)
            {
                Text(text);
            }
        }

        /// <summary>The data's members; one whose value (or a value inside it) has no tag, bytes a function added, is left out.</summary>
        public void Data(DeliveryItem item)
        {
            Ensure(4);
            var countAt = At;
            At += 4;
            var count = 0;
            foreach (var (key, value) in item.Data)
            {
                var mark = At;
                try
                {
                    Text(key);
                    Value(value, item, 0);
                    count++;
                }
                catch (FormatException)
                {
                    At = mark;
                }
            }

            BinaryPrimitives.WriteInt32LittleEndian(Buffer.AsSpan(countAt), count);
        }

        private void Value(object? value, DeliveryItem item, int depth)
        {
            Ensure(9);
            switch (value)
            {
                case null:
                    Buffer[At++] = (byte)Tag.Null;
                    break;
                case string text when text.Length > 0 && text.Equals(item.Topic, StringComparison.Ordinal):
                    Buffer[At++] = (byte)Tag.Topic;
                    break;
                case string text when text.Length > 0 && text.Equals(item.Message, StringComparison.Ordinal):
                    Buffer[At++] = (byte)Tag.Message;
                    break;
                case string text:
                    Buffer[At++] = (byte)Tag.Text;
                    Text(text);
                    break;
                case bool flag:
                    Buffer[At++] = (byte)(flag ? Tag.True : Tag.False);
                    break;
                case long number:
                    Buffer[At++] = (byte)Tag.Integer;
                    Varint((ulong)((number << 1) ^ (number >> 63)));
                    break;
                case BigInteger big:
                    Buffer[At++] = (byte)Tag.BigInteger;
                    Bytes(big.ToByteArray());
                    break;
                case double real:
                    Buffer[At++] = (byte)Tag.Real;
                    BinaryPrimitives.WriteDoubleLittleEndian(Buffer.AsSpan(At), real);
                    At += 8;
                    break;
                case IReadOnlyDictionary<string, object?> map when depth < JsonData.MaxDepth:
                    Buffer[At++] = (byte)Tag.Map;
                    Varint((uint)map.Count);
                    foreach (var (key, inner) in map)
                    {
                        Text(key);
                        Value(inner, item, depth + 1);
                    }

                    break;
                case IReadOnlyList<object?> list when depth < JsonData.MaxDepth:
                    Buffer[At++] = (byte)Tag.List;
                    Varint((uint)list.Count);
                    foreach (var inner in list)
                    {
                        Value(inner, item, depth + 1);
                    }

                    break;
                default:
                    throw new FormatException("not a data value the journal keeps");
            }
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> record)
    {
        private readonly ReadOnlySpan<byte> _record = record;
        private int _at;

        public byte Byte() => _record[_at++];

        public long Int64()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_record[_at..]);
            _at += 8;
            return value;
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = _record[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw new InvalidDataException("a journal record's number is too long");
        }

        public ReadOnlySpan<byte> Bytes()
        {
            var length = checked((int)Varint());
            var bytes = _record.Slice(_at, length);
            _at += length;
            return bytes;
        }

        public string Text()
        {
            var bytes = Bytes();
            return bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);
        }

        public string[] Texts()
        {
            var count = checked((int)Varint());
            if (count == 0)
            {
                return [];
            }

            var texts = new string[count];
            for (var i = 0; i < count; i++)
            {
                texts[i] = Text();
            }

            return texts;
        }

        public OrderedDictionary<string, object?> Data(string topic, string message)
        {
            var count = BinaryPrimitives.ReadInt32LittleEndian(_record[_at..]);
            _at += 4;
            var data = new OrderedDictionary<string, object?>(count, StringComparer.Ordinal);
            var keys = t_keys ??= new (byte[], string)[32];
            for (var i = 0; i < count; i++)
            {
                data[Key(keys, i)] = Value(topic, message);
            }

            return data;
        }

        /// <summary>A top-level key: the string read at the same place last time when the bytes are the same (items repeat their keys).</summary>
        private string Key((byte[] Utf8, string Text)[] keys, int index)
        {
            var bytes = Bytes();
            if (index < keys.Length && keys[index].Utf8 is { } known && bytes.SequenceEqual(known))
            {
                return keys[index].Text;
            }

            var key = Encoding.UTF8.GetString(bytes);
            if (index < keys.Length)
            {
                keys[index] = (bytes.ToArray(), key);
            }

            return key;
        }

        private object? Value(string topic, string message)
        {
            var tag = (Tag)Byte();
            switch (tag)
            {
                case Tag.Null:
                    return null;
                case Tag.False:
                    return false;
                case Tag.True:
                    return true;
                case Tag.Integer:
                    var zigzag = Varint();
                    return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
                case Tag.Real:
                    var real = BinaryPrimitives.ReadDoubleLittleEndian(_record[_at..]);
                    _at += 8;
                    return real;
                case Tag.Text:
                    return Text();
                case Tag.BigInteger:
                    return new BigInteger(Bytes());
                case Tag.Topic:
                    return topic;
                case Tag.Message:
                    return message;
                case Tag.Map:
                    var members = checked((int)Varint());
                    var map = new OrderedDictionary<string, object?>(members, StringComparer.Ordinal);
                    for (var i = 0; i < members; i++)
                    {
                        var key = Text();
                        map[key] = Value(topic, message);
                    }

                    return map;
                case Tag.List:
                    var count = checked((int)Varint());
                    var list = new List<object?>(count);
                    for (var i = 0; i < count; i++)
                    {
                        list.Add(Value(topic, message));
                    }

                    return list;
                default:
                    throw new InvalidDataException($"a journal record holds a data value of unknown type {(byte)tag}");
            }
        }
    }
}
