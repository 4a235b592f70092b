using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ClientCompare;

/// <summary>
/// The work every subscriber in the comparison does per message: parse the ~60-byte JSON payload and write one
/// formatted line to a file. Both client projects compile this same file, so only the client differs.
/// </summary>
internal sealed class LineHandler : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly int _expected;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _count;

    public LineHandler(string path, int expected)
    {
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 64 * 1024);
        _expected = expected;
    }

    /// <summary>Completes when <c>expected</c> messages have been handled.</summary>
    public Task Done => _done.Task;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Wall-clock time (Unix ns) at which the last expected line was flushed; 0 before.</summary>
    public long FinishedAtUnixNanoseconds { get; private set; }

    public void Handle(ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        string? sensor = null;
        long seq = 0;
        double temp = 0, hum = 0;
        var ok = false;
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    break;
                case JsonTokenType.String when property == "sensor":
                    sensor = reader.GetString();
                    break;
                case JsonTokenType.Number when property == "seq":
                    seq = reader.GetInt64();
                    break;
                case JsonTokenType.Number when property == "temp":
                    temp = reader.GetDouble();
                    break;
                case JsonTokenType.Number when property == "hum":
                    hum = reader.GetDouble();
                    break;
                case JsonTokenType.True or JsonTokenType.False when property == "ok":
                    ok = reader.GetBoolean();
                    break;
            }
        }

        _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{seq} {sensor}: {temp:F1} C, {hum:F1} % {(ok ? "ok" : "FAIL")}"));
        if (Interlocked.Increment(ref _count) == _expected)
        {
            _writer.Flush();
            FinishedAtUnixNanoseconds = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
            _done.TrySetResult();
        }
    }

    public void Dispose() => _writer.Dispose();
}
