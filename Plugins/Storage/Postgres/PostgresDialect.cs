using System.Data.Common;
using Hub.Plugins.Common.Sql;
using Npgsql;

namespace Hub.Plugins.Storage;

/// <summary>PostgreSQL for <see cref="SqlWriter{TType}"/>: Npgsql, double-quoted names, binary <c>COPY</c>, <c>ON CONFLICT</c> through a staging table.</summary>
public sealed class PostgresDialect(PostgresOptions options) : ISqlDialect<PgType>
{
    public string Service => "postgres";

    public string? DefaultSchema => options.Schema;

    public DbDataSource CreateSource() => new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder
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

    /// <summary>A quoted identifier: any name is safe in it (a double quote is doubled), and its case is kept.</summary>
    public string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('\0', StringComparison.Ordinal)
            ? throw new PermanentDeliveryException("postgres: a table or column name cannot contain a NUL character")
            : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>The default layout's table: a time-series shape that TimescaleDB can turn into a hypertable as it is.</summary>
    public string DefaultTable(string quotedName) =>
        $"CREATE TABLE IF NOT EXISTS {quotedName} (time timestamptz NOT NULL, topic text NOT NULL, field text NOT NULL DEFAULT '', value double precision, message text, PRIMARY KEY (topic, field, time))";

    public async Task<Dictionary<string, PgType>> ColumnsAsync(DbConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position", (NpgsqlConnection)connection);
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

    public object? Convert(PgType type, object? raw)
    {
        ArgumentNullException.ThrowIfNull(type);
        return type.Convert(raw);
    }

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, SqlGroup<PgType> group, int stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var npgsql = (NpgsqlConnection)connection;
        var columns = string.Join(", ", group.Columns.Select(Quote));
        if (group.Conflict.Count == 0)
        {
            await CopyAsync(npgsql, group, $"{group.Table} ({columns})", group.Rows, cancellationToken);
            return;
        }

        // COPY cannot resolve conflicts: copy into a temporary table of the same column types, then insert from it.
        var stageName = Quote($"hub_stage_{stage}");
        await ExecuteAsync(npgsql, $"CREATE TEMP TABLE {stageName} ON COMMIT DROP AS SELECT {columns} FROM {group.Table} WITH NO DATA", cancellationToken);
        await CopyAsync(npgsql, group, $"{stageName} ({columns})", group.LastPerKey(), cancellationToken);
        var updates = group.Columns.Where(c => !group.Conflict.Contains(c)).Select(c => $"{Quote(c)} = EXCLUDED.{Quote(c)}").ToArray();
        var action = group.Update && updates.Length > 0 ? "DO UPDATE SET " + string.Join(", ", updates) : "DO NOTHING";
        await ExecuteAsync(npgsql,
            $"INSERT INTO {group.Table} ({columns}) SELECT {columns} FROM {stageName} ON CONFLICT ({string.Join(", ", group.Conflict.Select(Quote))}) {action}",
            cancellationToken);
    }

    public Exception? Failure(Exception exception) => exception switch
    {
        PostgresException ex when SqlStates.IsPermanent(ex.SqlState) => new PermanentDeliveryException($"postgres: {ex.MessageText} ({ex.SqlState})", null, ex),
        NpgsqlException ex => new TransientDeliveryException($"postgres: {ex.Message}", null, ex),
        _ => null,
    };

    private static async Task CopyAsync(NpgsqlConnection connection, SqlGroup<PgType> group, string destination, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var writer = await connection.BeginBinaryImportAsync($"COPY {destination} FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < row.Length; i++)
            {
                var type = group.Types[i].Type;
                // Typed writes for the common values: Npgsql then needs no lookup by the boxed value's type.
                var write = row[i] switch
                {
                    null => writer.WriteNullAsync(cancellationToken),
                    double d => writer.WriteAsync(d, type, cancellationToken),
                    long n => writer.WriteAsync(n, type, cancellationToken),
                    int n => writer.WriteAsync(n, type, cancellationToken),
                    string text => writer.WriteAsync(text, type, cancellationToken),
                    DateTime time => writer.WriteAsync(time, type, cancellationToken),
                    bool flag => writer.WriteAsync(flag, type, cancellationToken),
                    { } value => writer.WriteAsync(value, type, cancellationToken),
                };
                await write;
            }
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
