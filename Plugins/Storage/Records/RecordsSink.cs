using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Hub.Plugins.Common;
using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>
/// Appends one record per message to a CSV or JSON Lines file (the path may use the data), one write per batch and
/// file. A file is rotated (renamed to <c>NAME.yyyyMMddTHHmmss.EXT</c>, optionally gzipped) before it would grow past
/// <c>rotate_bytes</c>, or at the first write in a new <c>rotate_interval</c> period.
/// </summary>
[Plugin("records", Description = "Append messages as CSV or JSON Lines records, with rotation by size or time and optional gzip")]
public sealed class RecordsSink(IPluginContext context, RecordsOptions options) : IBatchSink, ITargetBinder, IDisposable
{
    private static readonly IReadOnlyList<string> CsvDefault = ["_dtiso", "topic", "payload"];
    private readonly ConcurrentDictionary<string, RecordFile> _files = new(StringComparer.Ordinal);

    /// <summary>Records per write at most.</summary>
    public int MaxBatchSize => 1000;

    private bool Csv => options.Format == "csv";

    public object BindTarget(string? targetName, object? descriptor) => PathOf(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var run in items.GroupBy(Resolve, StringComparer.Ordinal))
        {
            var text = new StringBuilder();
            foreach (var item in run)
            {
                Append(text, item);
            }

            var file = _files.GetOrAdd(run.Key, path => new RecordFile(path, options));
            file.Write(Encoding.UTF8.GetBytes(text.ToString()), HeaderLine(run.First()), context.TimeProvider.GetUtcNow());
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }

        _files.Clear();
    }

    private string Resolve(DeliveryItem item)
    {
        var path = SqlRows.Name(Descriptor.Bound(item, PathOf, "records"), item, context.Formatter);
        return Path.GetFullPath(path.Replace("$TMPDIR", Path.GetTempPath().TrimEnd('/'), StringComparison.Ordinal), context.ConfigDirectory);
    }

    private IReadOnlyList<string> FieldsOf(DeliveryItem item) =>
        options.Fields is { Count: > 0 } fields ? fields : Csv ? CsvDefault : [.. item.Data.Keys];

    private byte[]? HeaderLine(DeliveryItem first)
    {
        if (!Csv || !options.Header)
        {
            return null;
        }

        var line = new StringBuilder();
        AppendCsv(line, FieldsOf(first).Select(f => f.TrimStart('$')));
        return Encoding.UTF8.GetBytes(line.ToString());
    }

    private void Append(StringBuilder text, DeliveryItem item)
    {
        var fields = FieldsOf(item);
        if (Csv)
        {
            AppendCsv(text, fields.Select(f => SqlSource.Text(Value(f, item))));
            return;
        }

        var record = DataJson.Object(fields.Select(f => new KeyValuePair<string, object?>(f.TrimStart('$'), Value(f, item))));
        text.Append(record.ToJsonString()).Append('\n');
    }

    private object? Value(string field, DeliveryItem item) => SqlSource.Read(field, item, context.Formatter, null, null) switch
    {
        DateTime time => time.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        var value => value,
    };

    /// <summary>One CSV line (RFC 4180): a field with the delimiter, a quote or a line break is quoted, quotes doubled.</summary>
    private void AppendCsv(StringBuilder line, IEnumerable<string> values)
    {
        var delimiter = options.Delimiter[0];
        var first = true;
        foreach (var value in values)
        {
            if (!first)
            {
                line.Append(delimiter);
            }

            first = false;
            if (value.AsSpan().IndexOfAny([delimiter, '"', '\r', '\n']) >= 0)
            {
                line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                line.Append(value);
            }
        }

        line.Append('\n');
    }

    private static string PathOf(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        return descriptor is IReadOnlyList<object?> && items.Count == 1 && items[0] is string { Length: > 0 } path
            ? path
            : throw new FormatException($"the target must be ['/path/to/file'], not {OptionValues.Describe(descriptor)}");
    }

    /// <summary>One open file: appends, and rotates by size or period.</summary>
    private sealed class RecordFile(string path, RecordsOptions options) : IDisposable
    {
        private readonly Lock _gate = new();
        private FileStream? _stream;
        private long _period = -1;

        public void Write(byte[] records, byte[]? header, DateTimeOffset now)
        {
            lock (_gate)
            {
                var period = options.RotateInterval > 0 ? now.ToUnixTimeSeconds() / options.RotateInterval : 0;
                var stream = Open();
                if (_period < 0)
                {
                    // A file left from an earlier period (the hub was stopped) is rotated at the first write.
                    _period = stream.Length > 0 && options.RotateInterval > 0 ? new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds() / options.RotateInterval : period;
                }

                if (stream.Length > 0 && period != _period)
                {
                    // Named after the period the file holds.
                    Rotate(DateTimeOffset.FromUnixTimeSeconds(_period * options.RotateInterval));
                    stream = Open();
                }
                else if (stream.Length > 0 && options.RotateBytes > 0 && stream.Length + records.Length > options.RotateBytes)
                {
                    Rotate(now);
                    stream = Open();
                }

                _period = period;
                if (stream.Length == 0 && header is not null)
                {
                    stream.Write(header);
                }

                stream.Write(records);
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                _stream?.Dispose();
                _stream = null;
            }
        }

        private FileStream Open()
        {
            if (_stream is null)
            {
                if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
                {
                    Directory.CreateDirectory(directory);
                }

                _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            }

            return _stream;
        }

        private void Rotate(DateTimeOffset stamp)
        {
            _stream?.Dispose();
            _stream = null;
            var directory = Path.GetDirectoryName(path) ?? ".";
            var stem = Path.GetFileNameWithoutExtension(path);
            var extension = Path.GetExtension(path);
            var time = stamp.UtcDateTime.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
            var rotated = Path.Combine(directory, $"{stem}.{time}{extension}");
            for (var n = 1; File.Exists(rotated) || File.Exists(rotated + ".gz"); n++)
            {
                rotated = Path.Combine(directory, $"{stem}.{time}-{n.ToString(CultureInfo.InvariantCulture)}{extension}");
            }

            File.Move(path, rotated);
            if (options.Gzip)
            {
                using (var source = File.OpenRead(rotated))
                using (var target = new GZipStream(File.Create(rotated + ".gz"), CompressionLevel.Optimal))
                {
                    source.CopyTo(target);
                }

                File.Delete(rotated);
            }

            if (options.Keep > 0)
            {
                var old = Directory.EnumerateFiles(directory, $"{stem}.????????T??????*{extension}*")
                    .Order(StringComparer.Ordinal)
                    .ToList();
                foreach (var file in old.Take(Math.Max(0, old.Count - options.Keep)))
                {
                    File.Delete(file);
                }
            }
        }
    }
}
