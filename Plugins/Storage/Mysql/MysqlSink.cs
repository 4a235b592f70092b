using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Hub.Plugins.Common;
using Hub.Plugins.Common.Sql;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Hub.Plugins.Storage;

/// <summary>
/// Writes rows to MySQL or MariaDB: each batch is one transaction with multi-row <c>INSERT</c>s (one per table and
/// column set, split to stay under the protocol's parameter limit); a target with a conflict key adds
/// <c>ON DUPLICATE KEY UPDATE</c> (a no-op, or the other columns), so a batch written twice keeps each row once.
/// Column types are read from the table once (and again after a failure), and values converted to them.
/// </summary>
[Plugin("mysql", Description = "Write rows to MySQL or MariaDB (multi-row INSERT per batch, optional ON DUPLICATE KEY upsert)")]
public sealed class MysqlSink(IPluginContext context, MysqlOptions options) : IBatchSink, ITargetValidator, IAsyncDisposable
{
    private const int MaxParameters = 60_000;
    private readonly ConcurrentDictionary<string, Task<MyTable>> _tables = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<object, SqlTarget> _targets = [];
    private MySqlDataSource? _source;

    /// <summary>Rows per batch at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    private MySqlDataSource Source => _source ??= new MySqlDataSource(new MySqlConnectionStringBuilder
    {
        Server = options.Host,
        Port = (uint)options.Port,
        UserID = options.User,
        Password = options.Pass,
        Database = options.Dbname,
        MaximumPoolSize = (uint)options.PoolSize,
        DefaultCommandTimeout = (uint)options.CommandTimeout,
        ConnectionTimeout = 15,
        ApplicationName = "hub",
        CharacterSet = "utf8mb4",
    }.ConnectionString);

    public IEnumerable<string> ValidateTarget(string? targetName, object? descriptor) => Descriptor.Problems(() => SqlTarget.CheckShape(descriptor));

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var batch = new SqlBatch<ColumnKind>("mysql", context.Formatter);
        try
        {
            foreach (var item in items)
            {
                var target = item.Addrs is { } addrs
                    ? _targets.GetValue(addrs, a => Descriptor.Parse(() => SqlTarget.From(a), "mysql"))
                    : Descriptor.Parse(() => SqlTarget.From(null), "mysql");
                var database = target.Schema is { } s ? SqlRows.Name(s, item, context.Formatter) : options.Dbname;
                var table = await TableAsync(database, SqlRows.Name(target.Table, item, context.Formatter), target, cancellationToken);
                if (!batch.Add(item, target, table.Name, table.Columns, static (kind, raw) => SqlSource.Convert(raw, kind)))
                {
                    context.Logger.LogDebug("mysql: no data key of {Topic} names a column of {Table}; nothing written", item.Topic, table.Name);
                }
            }

            if (!batch.Groups.Any())
            {
                return;
            }

            await using var connection = await Source.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            foreach (var group in batch.Groups)
            {
                await WriteAsync(connection, transaction, group, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (MySqlException ex) when (SqlStates.IsPermanent(ex.SqlState) && !ex.IsTransient)
        {
            Forget(batch.Tables);
            throw new PermanentDeliveryException($"mysql: {ex.Message} ({ex.SqlState})", null, ex);
        }
        catch (Exception ex) when (ex is MySqlException or TimeoutException)
        {
            Forget(batch.Tables);
            throw new TransientDeliveryException($"mysql: {ex.Message}", null, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_source is { } source)
        {
            await source.DisposeAsync();
        }
    }

    private static async Task WriteAsync(MySqlConnection connection, MySqlTransaction transaction, SqlGroup<ColumnKind> group, CancellationToken cancellationToken)
    {
        var rows = group.LastPerKey();
        var perStatement = Math.Max(1, MaxParameters / group.Columns.Length);
        var head = $"INSERT INTO {group.Table} ({string.Join(", ", group.Columns.Select(Quote))}) VALUES ";
        var tail = "";
        if (group.Conflict.Count > 0)
        {
            var updates = group.Columns.Where(c => !group.Conflict.Contains(c)).Select(c => $"{Quote(c)} = VALUES({Quote(c)})").ToArray();
            var first = Quote(group.Conflict[0]);
            tail = " ON DUPLICATE KEY UPDATE " + (group.Update && updates.Length > 0 ? string.Join(", ", updates) : $"{first} = {first}");
        }

        for (var start = 0; start < rows.Count; start += perStatement)
        {
            var count = Math.Min(perStatement, rows.Count - start);
            await using var command = new MySqlCommand { Connection = connection, Transaction = transaction };
            var sql = new StringBuilder(head);
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                var row = rows[start + r];
                for (var c = 0; c < row.Length; c++)
                {
                    var name = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
                    sql.Append(c == 0 ? name : ", " + name);
                    command.Parameters.AddWithValue(name, row[c] ?? DBNull.Value);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(tail).ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private Task<MyTable> TableAsync(string? database, string table, SqlTarget target, CancellationToken cancellationToken)
    {
        var key = database + "\n" + table;
        // A failed load is not kept: the next batch asks the server again (the table may exist by then).
        if (_tables.TryGetValue(key, out var known) && (known.IsFaulted || known.IsCanceled))
        {
            _tables.TryRemove(new KeyValuePair<string, Task<MyTable>>(key, known));
        }

        return _tables.GetOrAdd(key, _ => LoadAsync(database, table, target.IsDefaultLayout && options.CreateTable, cancellationToken));
    }

    private async Task<MyTable> LoadAsync(string? database, string table, bool create, CancellationToken cancellationToken)
    {
        await using var connection = await Source.OpenConnectionAsync(cancellationToken);
        database ??= connection.Database;
        var name = string.IsNullOrEmpty(database) ? Quote(table) : $"{Quote(database)}.{Quote(table)}";
        var columns = await ColumnsAsync(connection, database, table, cancellationToken);
        if (columns.Count == 0 && create)
        {
            await using var command = new MySqlCommand(DefaultTable(name), connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            context.Logger.LogInformation("mysql: created table {Table} (the default layout)", name);
            columns = await ColumnsAsync(connection, database, table, cancellationToken);
        }

        return columns.Count == 0
            ? throw new PermanentDeliveryException($"mysql: table {name} does not exist (or has no columns the user may see)")
            : new MyTable(name, columns);
    }

    /// <summary>The default layout's table, the same shape as the <c>postgres</c> sink's.</summary>
    public static string DefaultTable(string name) =>
        $"CREATE TABLE IF NOT EXISTS {name} (`time` DATETIME(6) NOT NULL, `topic` VARCHAR(255) NOT NULL, `field` VARCHAR(255) NOT NULL DEFAULT '', `value` DOUBLE NULL, `message` TEXT NULL, PRIMARY KEY (`topic`, `field`, `time`)) CHARACTER SET utf8mb4";

    private static async Task<Dictionary<string, ColumnKind>> ColumnsAsync(MySqlConnection connection, string? database, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(@s, DATABASE()) AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", connection);
        command.Parameters.AddWithValue("@s", (object?)database ?? DBNull.Value);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<string, ColumnKind>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)] = reader.GetString(1).ToLowerInvariant() switch
            {
                "tinyint" or "smallint" or "mediumint" or "int" or "bigint" or "year" or "bit" => ColumnKind.Integer,
                "float" or "double" or "decimal" => ColumnKind.Real,
                "datetime" or "timestamp" or "date" => ColumnKind.Time,
                "json" => ColumnKind.Json,
                "blob" or "tinyblob" or "mediumblob" or "longblob" or "binary" or "varbinary" => ColumnKind.Bytes,
                _ => ColumnKind.Text,
            };
        }

        return columns;
    }

    private void Forget(IEnumerable<string> tables)
    {
        var names = tables.ToHashSet(StringComparer.Ordinal);
        foreach (var pair in _tables.Where(p => !p.Value.IsCompletedSuccessfully || names.Contains(p.Value.Result.Name)))
        {
            _tables.TryRemove(pair);
        }
    }

    /// <summary>A quoted identifier: any name is safe in it (a backtick is doubled).</summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('\0', StringComparison.Ordinal)
            ? throw new PermanentDeliveryException("mysql: a table or column name cannot contain a NUL character")
            : "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    private sealed record MyTable(string Name, Dictionary<string, ColumnKind> Columns);
}
