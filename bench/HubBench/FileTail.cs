using System.Diagnostics;
using System.Text;

namespace HubBench;

/// <summary>Follows a file that another process appends lines to, timestamping each line as it appears.</summary>
internal sealed class FileTail : IDisposable
{
    private readonly FileStream _stream;
    private readonly byte[] _buffer = new byte[1 << 20];
    private readonly StringBuilder _partial = new();

    public FileTail(string path)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (!File.Exists(path))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"{path} was never created");
            }

            Thread.Sleep(5);
        }

        _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
    }

    public long Lines { get; private set; }

    /// <summary>Reads what is new; calls <paramref name="onLine"/> for each complete line with the time it was seen.</summary>
    public int Poll(Action<string, long>? onLine)
    {
        var read = _stream.Read(_buffer, 0, _buffer.Length);
        if (read <= 0)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        var count = 0;
        var start = 0;
        for (var i = 0; i < read; i++)
        {
            if (_buffer[i] != (byte)'\n')
            {
                continue;
            }

            count++;
            if (onLine is not null)
            {
                _partial.Append(Encoding.UTF8.GetString(_buffer, start, i - start));
                onLine(_partial.ToString(), now);
                _partial.Clear();
            }

            start = i + 1;
        }

        if (onLine is not null && start < read)
        {
            _partial.Append(Encoding.UTF8.GetString(_buffer, start, read - start));
        }

        Lines += count;
        return count;
    }

    public void Dispose() => _stream.Dispose();
}
