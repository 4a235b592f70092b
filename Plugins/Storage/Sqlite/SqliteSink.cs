using System.Collections.Concurrent;
using System.Globalization;
using Hub.Plugins.Common;
using Hub.Plugins.Common.Sql;
using Microsoft.Data.Sqlite;

namespace Hub.Plugins.Storage;

/// <summary>
/// Inserts each message into a table of an SQLite file, in the layouts of mqttwarn's <c>sqlite</c>,
/// <c>sqlite_timestamp</c> and <c>sqlite_json2cols</c>; a batch is one transaction per file. Each file's
/// connection stays open; the table is created when missing.
/// </summary>
[Plugin("sqlite", Description = "Insert messages into an SQLite table (mqttwarn's sqlite, sqlite_timestamp, sqlite_json2cols)")]
public sealed class SqliteSink(IPluginContext context, SqliteOptions options) : IBatchSink, ITargetBinder, IDisposable
{
    private readonly ConcurrentDictionary<string, SqliteFile> _files = new(StringComparer.Ordinal);

    /// <summary>Rows per transaction at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    public object BindTarget(string? targetName, object? descriptor) => Target(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var run in items.GroupBy(i => Bound(i).Path))
        {
            var file = _files.GetOrAdd(Path.GetFullPath(run.Key, context.ConfigDirectory), path => new SqliteFile(path, options.BusyTimeout));
            try
            {
                file.Write(run, (connection, item) => Insert(connection, file, item));
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode is 5 or 6 or 10 or 13)
            {
                // SQLITE_BUSY, LOCKED, IOERR, FULL: the file may be writable again later.
                throw new TransientDeliveryException($"sqlite: {ex.Message}", null, ex);
            }
            catch (SqliteException ex)
            {
                throw new PermanentDeliveryException($"sqlite: {ex.Message}", null, ex);
            }
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

    private void Insert(SqliteConnection connection, SqliteFile file, DeliveryItem item)
    {
        var table = Bound(item).Table;
        var name = Quote(table);
        using var command = connection.CreateCommand();
        switch (options.Layout)
        {
            case SqliteLayout.Payload:
                file.Ensure(table, () => Execute(connection, $"CREATE TABLE IF NOT EXISTS {name} (payload TEXT)"));
                command.CommandText = $"INSERT INTO {name} (payload) VALUES ($p)";
                command.Parameters.AddWithValue("$p", item.Message);
                break;
            case SqliteLayout.Timestamp:
                file.Ensure(table, () => Execute(connection, $"CREATE TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT, timestamp DATETIME NOT NULL)"));
                command.CommandText = $"INSERT INTO {name} (payload, timestamp) VALUES ($p, $t)";
                command.Parameters.AddWithValue("$p", item.Message);
                var time = SqlSource.MessageTime(item) ?? context.TimeProvider.GetUtcNow().UtcDateTime;
                command.Parameters.AddWithValue("$t", time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                break;
            default:
                var fields = item.Data.Where(pair => !SqlSource.IsBuiltIn(pair.Key) && Json2ColsType(pair.Value) is not null).ToList();
                if (fields.Count == 0)
                {
                    return;
                }

                var known = file.Columns(table, () => CreateOrRead(connection, name, fields));
                foreach (var (key, value) in fields.Where(f => !known.Contains(f.Key)))
                {
                    // mqttwarn's table has the first message's columns only; a later field gets its column here.
                    Execute(connection, $"ALTER TABLE {name} ADD COLUMN {Quote(key)} {Json2ColsType(value)}");
                    known.Add(key);
                }

                command.CommandText = $"INSERT INTO {name} ({string.Join(", ", fields.Select(f => Quote(f.Key)))}) VALUES ({string.Join(", ", fields.Select((_, i) => "$v" + i.ToString(CultureInfo.InvariantCulture)))})";
                for (var i = 0; i < fields.Count; i++)
                {
                    command.Parameters.AddWithValue("$v" + i.ToString(CultureInfo.InvariantCulture), SqlSource.Convert(fields[i].Value, Json2ColsType(fields[i].Value) == "float" ? ColumnKind.Real : ColumnKind.Text));
                }

                break;
        }

        command.ExecuteNonQuery();
    }

    /// <summary>mqttwarn's column types: numbers (and booleans, which are numbers in Python) <c>float</c>, text <c>varchar(20)</c>; other values are not stored.</summary>
    private static string? Json2ColsType(object? value) => value switch
    {
        string => "varchar(20)",
        bool or long or double or int or System.Numerics.BigInteger or decimal => "float",
        _ => null,
    };

    private static HashSet<string> CreateOrRead(SqliteConnection connection, string name, IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        Execute(connection, $"CREATE TABLE IF NOT EXISTS {name} ({string.Join(", ", fields.Select(f => $"{Quote(f.Key)} {Json2ColsType(f.Value)}"))})");
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info($t)";
        command.Parameters.AddWithValue("$t", name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal));
        using var reader = command.ExecuteReader();
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A quoted identifier: any name is safe in it (a double quote is doubled).</summary>
    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>The target bound when the graph was built (parsed here only for an item the host did not make).</summary>
    private static SqliteTarget Bound(DeliveryItem item) => Descriptor.Bound(item, Target, "sqlite");

    /// <summary>mqttwarn's descriptor <c>['/path/to/file.db', 'table']</c>.</summary>
    private static SqliteTarget Target(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        return descriptor is IReadOnlyList<object?> && items.Count == 2 && items[0] is string { Length: > 0 } path && items[1] is string { Length: > 0 } table
            ? new SqliteTarget(path, table)
            : throw new FormatException($"the target must be ['/path/to/file.db', 'table'], not {OptionValues.Describe(descriptor)}");
    }

    /// <summary>A bound target: the database file (as written) and the table.</summary>
    private sealed record SqliteTarget(string Path, string Table);

    /// <summary>One database file: its open connection, a lock, and what is known of its tables.</summary>
    private sealed class SqliteFile(string path, int busyTimeout) : IDisposable
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, HashSet<string>> _tables = new(StringComparer.OrdinalIgnoreCase);
        private SqliteConnection? _connection;

        public void Write(IEnumerable<DeliveryItem> items, Action<SqliteConnection, DeliveryItem> insert)
        {
            lock (_gate)
            {
                if (_connection is null)
                {
                    if (Path.GetDirectoryName(path) is { Length: > 0 } directory)
                    {
                        Directory.CreateDirectory(directory);
                    }

                    _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = busyTimeout }.ConnectionString);
                    _connection.Open();
                    Execute(_connection, $"PRAGMA busy_timeout = {busyTimeout * 1000}");
                }

                // Plain BEGIN/COMMIT (commands need no transaction object); a failure closes the connection, which rolls back.
                try
                {
                    Execute(_connection, "BEGIN IMMEDIATE");
                    foreach (var item in items)
                    {
                        insert(_connection, item);
                    }

                    Execute(_connection, "COMMIT");
                }
                catch
                {
                    Close();
                    throw;
                }
            }
        }

        /// <summary>Runs <paramref name="create"/> once per table (while the connection lives).</summary>
        public void Ensure(string table, Action create)
        {
            if (!_tables.ContainsKey(table))
            {
                create();
                _tables[table] = [];
            }
        }

        public HashSet<string> Columns(string table, Func<HashSet<string>> read)
        {
            if (!_tables.TryGetValue(table, out var columns) || columns.Count == 0)
            {
                _tables[table] = columns = read();
            }

            return columns;
        }

        public void Dispose()
        {
            lock (_gate)
            {
                Close();
            }
        }

        /// <summary>After a failure or at the end: close the connection (an open transaction rolls back) and forget the tables.</summary>
        private void Close()
        {
            _tables.Clear();
            _connection?.Dispose();
            _connection = null;
        }
    }
}
