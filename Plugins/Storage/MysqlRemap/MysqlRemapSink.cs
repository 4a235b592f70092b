using System.Collections.Concurrent;
using System.Data.Common;
using Hub.Plugins.Common;
using Hub.Plugins.Common.Sql;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Hub.Plugins.Storage;

/// <summary>
/// mqttwarn's <c>mysql_remap</c>: each message is a row of the target's table; data keys (also those inside nested
/// JSON objects) go to the columns the target's mapping names, the constant columns are added, and columns the table
/// does not have are left out. A batch is one transaction of multi-row <c>INSERT</c>s.
/// </summary>
[Plugin("mysql_remap", Description = "Write each message as a row, data keys mapped to columns plus constant columns (mqttwarn's mysql_remap)")]
public sealed class MysqlRemapSink(IPluginContext context, MysqlRemapOptions options) : IBatchSink, ITargetBinder, IAsyncDisposable
{
    private const string Service = "mysql_remap";
    private readonly MysqlDialect _dialect = new(options);
    private readonly ConcurrentDictionary<string, Dictionary<string, ColumnKind>> _tables = new(StringComparer.Ordinal);
    private DbDataSource? _source;

    /// <summary>Rows per batch at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    private DbDataSource Source => _source ??= _dialect.CreateSource();

    public object BindTarget(string? targetName, object? descriptor) => RemapTarget.From(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var groups = new Dictionary<string, SqlGroup<ColumnKind>>(StringComparer.Ordinal);
        try
        {
            foreach (var item in items)
            {
                var target = Descriptor.Bound(item, RemapTarget.From, Service);
                var table = SqlRows.Name(target.Table, item, context.Formatter);
                var columns = await ColumnsAsync(table, cancellationToken);
                var values = Values(item, target);
                var unknown = values.Keys.Where(c => !columns.ContainsKey(c)).ToList();
                if (unknown.Count > 0)
                {
                    context.Logger.LogDebug("{Service}: table `{Table}` has no column {Columns}; left out", Service, table, string.Join(", ", unknown));
                }

                var names = values.Keys.Where(columns.ContainsKey).ToArray();
                if (names.Length == 0)
                {
                    context.Logger.LogDebug("{Service}: no mapped key of {Topic} names a column of `{Table}`; nothing written", Service, item.Topic, table);
                    continue;
                }

                var key = table + "\n" + string.Join('\n', names);
                if (!groups.TryGetValue(key, out var group))
                {
                    groups[key] = group = new SqlGroup<ColumnKind>(_dialect.Quote(table), names, [.. names.Select(n => columns[n])], [], false);
                }

                group.Rows.Add([.. names.Select((n, i) => SqlSource.Convert(values[n], group.Types[i]))]);
            }

            await SqlWriter<ColumnKind>.WriteGroupsAsync(Source, _dialect, groups.Values, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || _dialect.Failure(ex) is not null)
        {
            _tables.Clear();
            throw SqlWriter<ColumnKind>.Failure(_dialect, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_source is { } source)
        {
            await source.DisposeAsync();
        }
    }

    /// <summary>
    /// The row of one message, by column: each mapped data key's value (nested objects searched too, a later key
    /// winning), a text with <c>{…}</c> formatted with the data (kept as it is when that fails), then the constants.
    /// </summary>
    private Dictionary<string, object?> Values(DeliveryItem item, RemapTarget target)
    {
        var values = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        Collect(item.Data, item.Data, target.Mapping, values);
        foreach (var (column, constant) in target.Constants)
        {
            values[column] = constant;
        }

        return values;
    }

    private void Collect(IReadOnlyDictionary<string, object?> level, IReadOnlyDictionary<string, object?> data, IReadOnlyDictionary<string, string> mapping, Dictionary<string, object?> values)
    {
        foreach (var (key, value) in level)
        {
            if (value is IReadOnlyDictionary<string, object?> nested)
            {
                Collect(nested, data, mapping, values);
            }
            else if (mapping.TryGetValue(key, out var column))
            {
                values[column] = value is string text && text.Contains('{', StringComparison.Ordinal) ? Formatted(text, data) : value;
            }
        }
    }

    private string Formatted(string text, IReadOnlyDictionary<string, object?> data)
    {
        try
        {
            return context.Formatter.Format(text, data);
        }
        catch (FormatException)
        {
            return text;
        }
    }

    /// <summary>The table's columns, read once (and again after a failure); a missing table is a permanent failure.</summary>
    private async Task<Dictionary<string, ColumnKind>> ColumnsAsync(string table, CancellationToken cancellationToken)
    {
        if (_tables.TryGetValue(table, out var known))
        {
            return known;
        }

        await using var connection = (MySqlConnection)await Source.OpenConnectionAsync(cancellationToken);
        var columns = await _dialect.ColumnsAsync(connection, "", table, cancellationToken);
        return columns.Count == 0
            ? throw new PermanentDeliveryException($"{Service}: table `{table}` does not exist (or has no columns the user may see)")
            : _tables[table] = columns;
    }
}
