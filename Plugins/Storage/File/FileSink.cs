using System.Buffers;
using System.Collections.Concurrent;
using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>
/// Appends (or overwrites) each message to a file. The path may use transformation data
/// (<c>/var/log/{device}.log</c>) and <c>$TMPDIR</c>. Bytes are written as they are, so a binary
/// pass-through (<c>decode_utf8 = False</c>) stores the exact payload. Append handles stay open.
/// </summary>
[Plugin("file", Description = "Append or overwrite a file per message")]
public sealed class FileSink(IPluginContext context, FileSinkOptions options) : IBatchSink, IInlineSink, ITargetBinder, IDisposable
{
    public int MaxBatchSize => 256;

    private readonly ConcurrentDictionary<string, FileStream> _open = new(StringComparer.Ordinal);

    private IReadOnlyList<string>? _allowed;

    private IReadOnlyList<string> Allowed => _allowed ??= options.AllowedDirectories(context.ConfigDirectory);

    public object BindTarget(string? targetName, object? descriptor)
    {
        FileTarget.CheckShape(descriptor);
        var target = FileTarget.From(options, descriptor);
        if (!target.Path.Contains('{', StringComparison.Ordinal) && !target.Path.Contains('$', StringComparison.Ordinal))
        {
            Confine(Path.IsPathRooted(target.Path) ? target.Path : Path.Combine(context.ConfigDirectory, target.Path), FormatProblem);
        }

        return target;
    }

    /// <summary>The target bound at start-up (parsed here only for an item the host did not make).</summary>
    private FileTarget Target(DeliveryItem item) => Descriptor.Bound(item, d => FileTarget.From(options, d), "file");

    private static FormatException FormatProblem(string message) => new(message);

    /// <summary>
    /// Inline only for appending to a file this sink already opened (on the target's worker) that is seekable, i.e. a
    /// regular file: opening can block (a FIFO without a reader), and so can writing to a pipe or device.
    /// </summary>
    public bool CanSendInline(DeliveryItem item)
    {
        var target = Target(item);
        return !target.Overwrite && _open.TryGetValue(ResolvePath(target.Path, item), out var stream) && stream.CanSeek;
    }

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Target(item);
        var path = ResolvePath(target.Path, item);
        if (target.Overwrite)
        {
            using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
            Write(stream, item, target);
            return ValueTask.CompletedTask;
        }

        var appender = _open.GetOrAdd(path, Open);
        lock (appender)
        {
            Write(appender, item, target);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Appends a run of queued messages with one write per file (a burst costs one system call, not
    /// one per message); overwrite targets are written one by one, so the last message wins.
    /// </summary>
    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var i = 0;
        while (i < items.Count)
        {
            var target = Target(items[i]);
            var path = ResolvePath(target.Path, items[i]);
            if (target.Overwrite)
            {
                await SendAsync(items[i++], cancellationToken);
                continue;
            }

            // The run of items that go to the same file with the same options.
            var end = i + 1;
            var length = items[i].MessageBytes.Length + (target.AppendNewline ? 1 : 0);
            while (end < items.Count && ReferenceEquals(items[end].Bound ?? items[end].Addrs, items[i].Bound ?? items[i].Addrs) && (target.Path.IndexOf('{') < 0))
            {
                length += items[end].MessageBytes.Length + (target.AppendNewline ? 1 : 0);
                end++;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                var offset = 0;
                for (var k = i; k < end; k++)
                {
                    items[k].MessageBytes.Span.CopyTo(buffer.AsSpan(offset));
                    offset += items[k].MessageBytes.Length;
                    if (target.AppendNewline)
                    {
                        buffer[offset++] = (byte)'\n';
                    }
                }

                var appender = _open.GetOrAdd(path, Open);
                lock (appender)
                {
                    appender.Write(buffer, 0, offset);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            i = end;
        }
    }

    public void Dispose()
    {
        foreach (var stream in _open.Values)
        {
            stream.Dispose();
        }

        _open.Clear();
    }

    // Page-cache writes are fast and synchronous; one write per message (message and line break
    // together) so a reader never sees half a line.
    private static void Write(FileStream stream, DeliveryItem item, FileTarget target)
    {
        if (!target.AppendNewline)
        {
            stream.Write(item.MessageBytes.Span);
            return;
        }

        var length = item.MessageBytes.Length + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            item.MessageBytes.Span.CopyTo(buffer);
            buffer[length - 1] = (byte)'\n';
            stream.Write(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private string ResolvePath(string template, DeliveryItem item)
    {
        var path = template.Contains('{') || template.Contains('}') ? context.Formatter.Format(template, item.Data) : template;
        path = path.Replace("$TMPDIR", Path.GetTempPath().TrimEnd('/'), StringComparison.Ordinal);
        path = Path.IsPathRooted(path) ? path : Path.Combine(context.ConfigDirectory, path);
        return Confine(path, message => new PermanentDeliveryException("file: " + message));
    }

    /// <summary>With <c>allowed_dirs</c>: the path, made absolute and normalised (<c>..</c> resolved), must lie inside one of them.</summary>
    private string Confine<TException>(string path, Func<string, TException> problem)
        where TException : Exception
    {
        if (Allowed.Count == 0)
        {
            return path;
        }

        var full = Path.GetFullPath(path);
        return Allowed.Any(dir => full.StartsWith(dir, StringComparison.Ordinal))
            ? full
            : throw problem($"path '{full}' is outside allowed_dirs ({string.Join(", ", Allowed)})");
    }

    private static FileStream Open(string path)
    {
        if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        return new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }
}
