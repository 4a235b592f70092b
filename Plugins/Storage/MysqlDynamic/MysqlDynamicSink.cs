using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Hub.Plugins.Common;
using Hub.Plugins.Common.Sql;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Hub.Plugins.Storage;

/// <summary>
/// mqttwarn's <c>mysql_dynamic</c>: each message's data keys (less the target's ignored ones) become the columns of a
/// table named after the topic (<c>a/b-c</c> → <c>a_bc</c>), created when missing with an <c>id</c> key and widened
/// when a new key appears; each message is a row. A batch is one transaction of multi-row <c>INSERT</c>s. With
/// <c>index</c>, the index table gets each table's name and its last message time.
/// </summary>
[Plugin("mysql_dynamic", Description = "Write each message's data as a row of a table per topic, created and widened from the data keys (mqttwarn's mysql_dynamic)")]
public sealed class MysqlDynamicSink(IPluginContext context, MysqlDynamicOptions options) : IBatchSink, ITargetBinder, IAsyncDisposable
{
    private const string Service = "mysql_dynamic";
    private const int MaxName = 64;
    private readonly MysqlDialect _dialect = new(options);
    private readonly ConcurrentDictionary<string, Dictionary<string, ColumnKind>> _tables = new(StringComparer.OrdinalIgnoreCase);
    private DbDataSource? _source;

    /// <summary>Rows per batch at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    private DbDataSource Source => _source ??= _dialect.CreateSource();

    public object BindTarget(string? targetName, object? descriptor) => DynamicTarget.From(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var groups = new Dictionary<string, SqlGroup<ColumnKind>>(StringComparer.OrdinalIgnoreCase);
        var latest = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
        try
        {
            foreach (var item in items)
            {
                var table = TableName(item.Topic);
                var values = Values(item, Descriptor.Bound(item, DynamicTarget.From, Service));
                if (table.Length is 0 or > MaxName || values.Count == 0)
                {
                    context.Logger.LogWarning("{Service}: message on {Topic} left out: {Reason}", Service, item.Topic,
                        values.Count == 0 ? "no data key to store" : $"the topic makes no table name of 1-{MaxName} letters, digits or _");
                    continue;
                }

                var columns = await ColumnsAsync(table, values, cancellationToken);
                var names = values.Select(v => v.Column).ToArray();
                var key = table + "\n" + string.Join('\n', names);
                if (!groups.TryGetValue(key, out var group))
                {
                    groups[key] = group = new SqlGroup<ColumnKind>(_dialect.Quote(table), names, [.. names.Select(n => columns[n])], [], false);
                }

                group.Rows.Add([.. values.Select((v, i) => SqlSource.Convert(v.Raw, group.Types[i]))]);
                latest[table] = SqlSource.MessageTime(item) ?? context.TimeProvider.GetUtcNow().UtcDateTime;
            }

            await SqlWriter<ColumnKind>.WriteGroupsAsync(Source, _dialect, groups.Values, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || _dialect.Failure(ex) is not null)
        {
            _tables.Clear();
            throw SqlWriter<ColumnKind>.Failure(_dialect, ex);
        }

        await IndexAsync(latest, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_source is { } source)
        {
            await source.DisposeAsync();
        }
    }

    /// <summary>mqttwarn's table name: the topic with <c>/</c> as <c>_</c>, then only letters, digits and <c>_</c>.</summary>
    public static string TableName(string topic) => Clean(topic.Replace('/', '_'), hyphen: false);

    /// <summary>
    /// The columns and raw values of one message: every data key not ignored, cleaned as mqttwarn does (only letters,
    /// digits, <c>_</c> and <c>-</c>); of keys that clean to the same column (MySQL ignores case) the first counts.
    /// </summary>
    private static List<(string Column, object? Raw)> Values(DeliveryItem item, DynamicTarget target)
    {
        var values = new List<(string, object?)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, raw) in item.Data)
        {
            var column = Clean(key, hyphen: true);
            if (!target.Ignore.Contains(key) && column.Length is > 0 and <= MaxName && !column.Equals("id", StringComparison.OrdinalIgnoreCase) && seen.Add(column))
            {
                values.Add((column, raw));
            }
        }

        return values;
    }

    private static string Clean(string name, bool hyphen)
    {
        var clean = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c) || c == '_' || (hyphen && c == '-'))
            {
                clean.Append(c);
            }
        }

        return clean.ToString();
    }

    /// <summary>The table's columns, after creating the table or adding the message's new columns (typed by its values).</summary>
    private async Task<Dictionary<string, ColumnKind>> ColumnsAsync(string table, List<(string Column, object? Raw)> values, CancellationToken cancellationToken)
    {
        if (_tables.TryGetValue(table, out var known) && values.All(v => known.ContainsKey(v.Column)))
        {
            return known;
        }

        await using var connection = (MySqlConnection)await Source.OpenConnectionAsync(cancellationToken);
        var columns = await _dialect.ColumnsAsync(connection, "", table, cancellationToken);
        var missing = values.Where(v => !columns.ContainsKey(v.Column)).ToList();
        if (missing.Count > 0 && !options.CreateTable)
        {
            throw new PermanentDeliveryException($"{Service}: table `{table}` {(columns.Count == 0 ? "does not exist" : $"has no column '{missing[0].Column}'")} and create_table is off");
        }

        if (columns.Count == 0)
        {
            var specs = string.Join(", ", values.Select(v => $"{_dialect.Quote(v.Column)} {SqlType(v.Raw)}"));
            await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {_dialect.Quote(table)} (`id` BIGINT AUTO_INCREMENT PRIMARY KEY, {specs}) CHARACTER SET utf8mb4", cancellationToken);
            context.Logger.LogInformation("{Service}: created table `{Table}` with the columns {Columns}", Service, table, string.Join(", ", values.Select(v => v.Column)));
        }
        else
        {
            foreach (var (column, raw) in missing)
            {
                try
                {
                    await ExecuteAsync(connection, $"ALTER TABLE {_dialect.Quote(table)} ADD COLUMN {_dialect.Quote(column)} {SqlType(raw)}", cancellationToken);
                    context.Logger.LogInformation("{Service}: added column {Column} to `{Table}`", Service, column, table);
                }
                catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateFieldName)
                {
                    // Another batch added it meanwhile.
                }
            }
        }

        if (missing.Count > 0)
        {
            columns = await _dialect.ColumnsAsync(connection, "", table, cancellationToken);
        }

        _tables[table] = columns;
        return columns;
    }

    /// <summary>The type of a new column, from its first value: whole numbers BIGINT, other numbers DOUBLE, true/false BOOLEAN, the rest text.</summary>
    private static string SqlType(object? raw) => raw switch
    {
        long => "BIGINT NULL",
        double => "DOUBLE NULL",
        bool => "BOOLEAN NULL",
        _ => "MEDIUMTEXT NULL",
    };

    /// <summary>mqttwarn's index: each table's name and last message time; a failure is logged (the rows are written).</summary>
    private async Task IndexAsync(Dictionary<string, DateTime> latest, CancellationToken cancellationToken)
    {
        if (options.Index is not { Length: > 0 } index || latest.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = (MySqlConnection)await Source.OpenConnectionAsync(cancellationToken);
            await MysqlDialect.InsertAsync(connection, null, _dialect.Quote(index), ["`topic`", "`ts`"], [.. latest.Select(t => new object?[] { t.Key, t.Value })],
                " ON DUPLICATE KEY UPDATE `ts` = VALUES(`ts`)", cancellationToken);
        }
        catch (Exception ex) when (ex is MySqlException or TimeoutException)
        {
            context.Logger.LogWarning("{Service}: index table {Index} not updated: {Reason}", Service, index, ex.Message);
        }
    }

    private static async Task ExecuteAsync(MySqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
