using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Hub.Plugins.Common;
using Hub.Plugins.Common.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Hub.Plugins.Storage;

/// <summary>
/// Writes rows to PostgreSQL: each batch is one transaction with one binary <c>COPY</c> per table and column set;
/// a target with a conflict key copies into a temporary table first and inserts from it with
/// <c>ON CONFLICT … DO NOTHING</c> (or <c>DO UPDATE</c>), so a batch written twice keeps each row once.
/// Column types are read from the table once (and again after a failure), and values converted to them.
/// </summary>
[Plugin("postgres", Description = "Write rows to PostgreSQL (binary COPY per batch, optional ON CONFLICT upsert)")]
public sealed class PostgresSink(IPluginContext context, PostgresOptions options) : IBatchSink, ITargetValidator, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task<PgTable>> _tables = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<object, SqlTarget> _targets = [];
    private NpgsqlDataSource? _source;

    /// <summary>Rows per batch at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    private NpgsqlDataSource Source => _source ??= new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder
    {
        Host = options.Host,
        Port = options.Port,
        Username = options.User,
        Password = options.Pass,
        Database = options.Dbname,
        MaxPoolSize = options.PoolSize,
        CommandTimeout = options.CommandTimeout,
        ApplicationName = "hub",
        Timeout = 15,
    }.ConnectionString).Build();

    public IEnumerable<string> ValidateTarget(string? targetName, object? descriptor) => Descriptor.Problems(() => SqlTarget.CheckShape(descriptor));

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var batch = new SqlBatch<PgType>("postgres", context.Formatter);
        try
        {
            foreach (var item in items)
            {
                var target = item.Addrs is { } addrs
                    ? _targets.GetValue(addrs, a => Descriptor.Parse(() => SqlTarget.From(a), "postgres"))
                    : Descriptor.Parse(() => SqlTarget.From(null), "postgres");
                var schema = target.Schema is { } s ? SqlRows.Name(s, item, context.Formatter) : options.Schema;
                var table = await TableAsync(schema, SqlRows.Name(target.Table, item, context.Formatter), target, cancellationToken);
                if (!batch.Add(item, target, table.Name, table.Columns, static (type, raw) => type.Convert(raw)))
                {
                    context.Logger.LogDebug("postgres: no data key of {Topic} names a column of {Table}; nothing written", item.Topic, table.Name);
                }
            }

            if (!batch.Groups.Any())
            {
                return;
            }

            await using var connection = await Source.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var stage = 0;
            foreach (var group in batch.Groups)
            {
                await WriteAsync(connection, group, stage++, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (SqlStates.IsPermanent(ex.SqlState))
        {
            Forget(batch.Tables);
            throw new PermanentDeliveryException($"postgres: {ex.MessageText} ({ex.SqlState})", null, ex);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Forget(batch.Tables);
            throw new TransientDeliveryException($"postgres: {ex.Message}", null, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_source is { } source)
        {
            await source.DisposeAsync();
        }
    }

    private static async Task WriteAsync(NpgsqlConnection connection, SqlGroup<PgType> group, int stage, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", group.Columns.Select(Quote));
        if (group.Conflict.Count == 0)
        {
            await CopyAsync(connection, group, $"{group.Table} ({columns})", group.Rows, cancellationToken);
            return;
        }

        // COPY cannot resolve conflicts: copy into a temporary table of the same column types, then insert from it.
        var stageName = Quote($"hub_stage_{stage}");
        await ExecuteAsync(connection, $"CREATE TEMP TABLE {stageName} ON COMMIT DROP AS SELECT {columns} FROM {group.Table} WITH NO DATA", cancellationToken);
        await CopyAsync(connection, group, $"{stageName} ({columns})", group.LastPerKey(), cancellationToken);
        var updates = group.Columns.Where(c => !group.Conflict.Contains(c)).Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}").ToArray();
        var action = group.Update && updates.Length > 0 ? "DO UPDATE SET " + string.Join(", ", updates) : "DO NOTHING";
        await ExecuteAsync(connection,
            $"INSERT INTO {group.Table} ({columns}) SELECT {columns} FROM {stageName} ON CONFLICT ({string.Join(", ", group.Conflict.Select(Quote))}) {action}",
            cancellationToken);
    }

    private static async Task CopyAsync(NpgsqlConnection connection, SqlGroup<PgType> group, string destination, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {destination} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is { } value)
                {
                    await writer.WriteAsync(value, group.Types[i].Type, cancellationToken);
                }
                else
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private Task<PgTable> TableAsync(string schema, string table, SqlTarget target, CancellationToken cancellationToken)
    {
        var key = schema + "\n" + table;
        // A failed load is not kept: the next batch asks the server again (the table may exist by then).
        if (_tables.TryGetValue(key, out var known) && (known.IsFaulted || known.IsCanceled))
        {
            _tables.TryRemove(new KeyValuePair<string, Task<PgTable>>(key, known));
        }

        return _tables.GetOrAdd(key, _ => LoadAsync(schema, table, target.IsDefaultLayout && options.CreateTable, cancellationToken));
    }

    private async Task<PgTable> LoadAsync(string schema, string table, bool create, CancellationToken cancellationToken)
    {
        var name = $"{Quote(schema)}.{Quote(table)}";
        await using var connection = await Source.OpenConnectionAsync(cancellationToken);
        var columns = await ColumnsAsync(connection, schema, table, cancellationToken);
        if (columns.Count == 0 && create)
        {
            await ExecuteAsync(connection, DefaultTable(name), cancellationToken);
            context.Logger.LogInformation("postgres: created table {Table} (the default layout)", name);
            columns = await ColumnsAsync(connection, schema, table, cancellationToken);
        }

        return columns.Count == 0
            ? throw new PermanentDeliveryException($"postgres: table {name} does not exist (or has no columns the user may see)")
            : new PgTable(name, columns);
    }

    /// <summary>The default layout's table: a time-series shape that TimescaleDB can turn into a hypertable as it is.</summary>
    public static string DefaultTable(string name) =>
        $"CREATE TABLE IF NOT EXISTS {name} (time timestamptz NOT NULL, topic text NOT NULL, field text NOT NULL DEFAULT '', value double precision, message text, PRIMARY KEY (topic, field, time))";

    private static async Task<Dictionary<string, PgType>> ColumnsAsync(NpgsqlConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<string, PgType>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)] = PgType.From(reader.GetString(1));
        }

        return columns;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private void Forget(IEnumerable<string> tables)
    {
        var names = tables.ToHashSet(StringComparer.Ordinal);
        foreach (var pair in _tables.Where(p => !p.Value.IsCompletedSuccessfully || names.Contains(p.Value.Result.Name)))
        {
            _tables.TryRemove(pair);
        }
    }

    /// <summary>A quoted identifier: any name is safe in it (a double quote is doubled), and its case is kept.</summary>
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('\0', StringComparison.Ordinal)
            ? throw new PermanentDeliveryException("postgres: a table or column name cannot contain a NUL character")
            : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private sealed record PgTable(string Name, Dictionary<string, PgType> Columns);

    private sealed record PgType(string Name, ColumnKind Kind, NpgsqlDbType Type)
    {
        public static PgType From(string udt) => udt switch
        {
            "int2" => new(udt, ColumnKind.Integer, NpgsqlDbType.Smallint),
            "int4" => new(udt, ColumnKind.Integer, NpgsqlDbType.Integer),
            "int8" => new(udt, ColumnKind.Integer, NpgsqlDbType.Bigint),
            "float4" => new(udt, ColumnKind.Real, NpgsqlDbType.Real),
            "float8" => new(udt, ColumnKind.Real, NpgsqlDbType.Double),
            "numeric" => new(udt, ColumnKind.Real, NpgsqlDbType.Numeric),
            "bool" => new(udt, ColumnKind.Boolean, NpgsqlDbType.Boolean),
            "timestamptz" => new(udt, ColumnKind.Time, NpgsqlDbType.TimestampTz),
            "timestamp" => new(udt, ColumnKind.Time, NpgsqlDbType.Timestamp),
            "date" => new(udt, ColumnKind.Time, NpgsqlDbType.Date),
            "json" => new(udt, ColumnKind.Json, NpgsqlDbType.Json),
            "jsonb" => new(udt, ColumnKind.Json, NpgsqlDbType.Jsonb),
            "bytea" => new(udt, ColumnKind.Bytes, NpgsqlDbType.Bytea),
            "varchar" => new(udt, ColumnKind.Text, NpgsqlDbType.Varchar),
            "bpchar" => new(udt, ColumnKind.Text, NpgsqlDbType.Char),
            "name" => new(udt, ColumnKind.Text, NpgsqlDbType.Name),
            "uuid" => new(udt, ColumnKind.Text, NpgsqlDbType.Uuid),
            _ => new(udt, ColumnKind.Text, NpgsqlDbType.Text),
        };

        /// <summary>The value in the .NET type the binary COPY writes for this column (null when it does not convert).</summary>
        public object? Convert(object? raw)
        {
            var value = SqlSource.Convert(raw, Kind);
            return (value, Type) switch
            {
                (null, _) => null,
                (long n, NpgsqlDbType.Integer) => n is >= int.MinValue and <= int.MaxValue ? (int)n : null,
                (long n, NpgsqlDbType.Smallint) => n is >= short.MinValue and <= short.MaxValue ? (short)n : null,
                (double d, NpgsqlDbType.Real) => (float)d,
                (double d, NpgsqlDbType.Numeric) => Math.Abs(d) < 7.9e28 ? (decimal)d : null,
                (DateTime t, NpgsqlDbType.Timestamp) => DateTime.SpecifyKind(t, DateTimeKind.Unspecified),
                (DateTime t, NpgsqlDbType.Date) => DateOnly.FromDateTime(t),
                (string s, NpgsqlDbType.Uuid) => Guid.TryParse(s, out var id) ? id : null,
                _ => value,
            };
        }
    }
}
