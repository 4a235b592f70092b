using System.Data.Common;
using System.Globalization;
using System.Text;
using Hub.Plugins.Common.Sql;
using MySqlConnector;

namespace Hub.Plugins.Storage;

/// <summary>
/// MySQL and MariaDB for <see cref="SqlWriter{TType}"/> (and the <c>mysql_dynamic</c>/<c>mysql_remap</c> sinks):
/// MySqlConnector, backquoted names, multi-row <c>INSERT</c> with <c>ON DUPLICATE KEY UPDATE</c>.
/// </summary>
public sealed class MysqlDialect(SqlOptions options) : ISqlDialect<ColumnKind>
{
    /// <summary>Parameters per statement at most (the protocol allows 65,535).</summary>
    private const int MaxParameters = 60_000;

    public string Service => "mysql";

    public string? DefaultSchema => options.Dbname;

    public DbDataSource CreateSource() => new MySqlDataSource(new MySqlConnectionStringBuilder
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

    /// <summary>A quoted identifier: any name is safe in it (a backtick is doubled).</summary>
    public string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('\0', StringComparison.Ordinal)
            ? throw new PermanentDeliveryException("mysql: a table or column name cannot contain a NUL character")
            : "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";
    }

    /// <summary>The default layout's table, the same shape as the <c>postgres</c> sink's.</summary>
    public string DefaultTable(string quotedName) =>
        $"CREATE TABLE IF NOT EXISTS {quotedName} (`time` DATETIME(6) NOT NULL, `topic` VARCHAR(255) NOT NULL, `field` VARCHAR(255) NOT NULL DEFAULT '', `value` DOUBLE NULL, `message` TEXT NULL, PRIMARY KEY (`topic`, `field`, `time`)) CHARACTER SET utf8mb4";

    public async Task<Dictionary<string, ColumnKind>> ColumnsAsync(DbConnection connection, string schema, string table, CancellationToken cancellationToken)
    {
        await using var command = new MySqlCommand(
            "SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(@s, DATABASE()) AND TABLE_NAME = @t ORDER BY ORDINAL_POSITION", (MySqlConnection)connection);
        command.Parameters.AddWithValue("@s", string.IsNullOrEmpty(schema) ? DBNull.Value : schema);
        command.Parameters.AddWithValue("@t", table);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new Dictionary<string, ColumnKind>(StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns[reader.GetString(0)] = Kind(reader.GetString(1));
        }

        return columns;
    }

    /// <summary>The kind of a MySQL <c>DATA_TYPE</c>.</summary>
    public static ColumnKind Kind(string dataType) => dataType.ToLowerInvariant() switch
    {
        "tinyint" or "smallint" or "mediumint" or "int" or "bigint" or "year" or "bit" => ColumnKind.Integer,
        "float" or "double" or "decimal" => ColumnKind.Real,
        "datetime" or "timestamp" or "date" => ColumnKind.Time,
        "json" => ColumnKind.Json,
        "blob" or "tinyblob" or "mediumblob" or "longblob" or "binary" or "varbinary" => ColumnKind.Bytes,
        _ => ColumnKind.Text,
    };

    public object? Convert(ColumnKind type, object? raw) => SqlSource.Convert(raw, type);

    public async Task WriteAsync(DbConnection connection, DbTransaction transaction, SqlGroup<ColumnKind> group, int stage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        var tail = "";
        if (group.Conflict.Count > 0)
        {
            var updates = group.Columns.Where(c => !group.Conflict.Contains(c)).Select(c => $"{Quote(c)} = VALUES({Quote(c)})").ToArray();
            var first = Quote(group.Conflict[0]);
            tail = " ON DUPLICATE KEY UPDATE " + (group.Update && updates.Length > 0 ? string.Join(", ", updates) : $"{first} = {first}");
        }

        await InsertAsync((MySqlConnection)connection, (MySqlTransaction)transaction, group.Table, group.Columns.Select(Quote), group.LastPerKey(), tail, cancellationToken);
    }

    /// <summary>
    /// Multi-row <c>INSERT INTO table (columns) VALUES (…), (…)</c> with parameters, split to stay under the
    /// protocol's parameter limit; <paramref name="tail"/> follows each statement.
    /// </summary>
    public static async Task InsertAsync(MySqlConnection connection, MySqlTransaction? transaction, string table, IEnumerable<string> quotedColumns, IReadOnlyList<object?[]> rows, string tail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var head = $"INSERT INTO {table} ({string.Join(", ", quotedColumns)}) VALUES ";
        var perStatement = Math.Max(1, MaxParameters / Math.Max(1, rows[0].Length));
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

    public Exception? Failure(Exception exception) => exception switch
    {
        MySqlException ex when SqlStates.IsPermanent(ex.SqlState) && !ex.IsTransient => new PermanentDeliveryException($"mysql: {ex.Message} ({ex.SqlState})", null, ex),
        MySqlException ex => new TransientDeliveryException($"mysql: {ex.Message}", null, ex),
        _ => null,
    };
}
