using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Common.Sql;

/// <summary>
/// The body of the SQL server sinks (<c>postgres</c>, <c>mysql</c>), one implementation for every
/// <see cref="ISqlDialect{TType}"/>: sorts a batch's rows into groups per table and column set, and writes every group
/// in one transaction. Column types are read from the table once (and again after a failure); a default-layout table
/// is created when missing and <c>create_table</c> allows it.
/// </summary>
public sealed class SqlWriter<TType> : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Task<SqlTable<TType>>> _tables = new(StringComparer.Ordinal);
    private readonly IPluginContext _context;
    private readonly ISqlDialect<TType> _dialect;
    private readonly bool _createTable;
    private DbDataSource? _source;

    /// <param name="context">The plugin's context (formatter, logger).</param>
    /// <param name="dialect">The server's dialect.</param>
    /// <param name="createTable">The <c>create_table</c> option: create a default-layout table when it is missing.</param>
    public SqlWriter(IPluginContext context, ISqlDialect<TType> dialect, bool createTable)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(dialect);
        _context = context;
        _dialect = dialect;
        _createTable = createTable;
    }

    /// <summary>The connections, made on first use.</summary>
    public DbDataSource Source => _source ??= _dialect.CreateSource();

    /// <summary>For <see cref="ITargetBinder.BindTarget"/>: the target the descriptor names.</summary>
    public static object Bind(object? descriptor) => SqlTarget.From(descriptor);

    /// <summary>Writes the rows of every item in one transaction; throws a delivery failure for the whole batch.</summary>
    public async ValueTask WriteAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var service = _dialect.Service;
        var batch = new SqlBatch<TType>(service, _context.Formatter);
        try
        {
            foreach (var item in items)
            {
                var target = Descriptor.Bound(item, SqlTarget.From, service);
                var schema = target.Schema is { } s ? SqlRows.Name(s, item, _context.Formatter) : _dialect.DefaultSchema;
                var table = await TableAsync(schema, SqlRows.Name(target.Table, item, _context.Formatter), target, cancellationToken);
                if (!batch.Add(item, target, table.Name, table.Columns, _dialect.Convert))
                {
                    _context.Logger.LogDebug("{Service}: no data key of {Topic} names a column of {Table}; nothing written", service, item.Topic, table.Name);
                }
            }

            await WriteGroupsAsync(Source, _dialect, batch.Groups, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException || _dialect.Failure(ex) is not null)
        {
            Forget(batch.Tables);
            throw Failure(_dialect, ex);
        }
    }

    /// <summary>
    /// Writes <paramref name="groups"/> in one transaction (nothing when there is none). A driver exception is left to
    /// the caller: see <see cref="Failure"/>.
    /// </summary>
    public static async Task WriteGroupsAsync(DbDataSource source, ISqlDialect<TType> dialect, IEnumerable<SqlGroup<TType>> groups, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(dialect);
        var list = groups.ToList();
        if (list.Count == 0)
        {
            return;
        }

        await using var connection = await source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var stage = 0;
        foreach (var group in list)
        {
            await dialect.WriteAsync(connection, transaction, group, stage++, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The delivery failure for a driver exception or a timeout (transient unless the dialect says permanent).</summary>
    public static Exception Failure(ISqlDialect<TType> dialect, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(exception);
        return dialect.Failure(exception) ?? new TransientDeliveryException($"{dialect.Service}: {exception.Message}", null, exception);
    }

    public async ValueTask DisposeAsync()
    {
        if (_source is { } source)
        {
            await source.DisposeAsync();
        }
    }

    private Task<SqlTable<TType>> TableAsync(string? schema, string table, SqlTarget target, CancellationToken cancellationToken)
    {
        var key = schema + "\n" + table;
        // A failed load is not kept: the next batch asks the server again (the table may exist by then).
        if (_tables.TryGetValue(key, out var known) && (known.IsFaulted || known.IsCanceled))
        {
            _tables.TryRemove(new KeyValuePair<string, Task<SqlTable<TType>>>(key, known));
        }

        return _tables.GetOrAdd(key, _ => LoadAsync(schema, table, target.IsDefaultLayout && _createTable, cancellationToken));
    }

    private async Task<SqlTable<TType>> LoadAsync(string? schema, string table, bool create, CancellationToken cancellationToken)
    {
        await using var connection = await Source.OpenConnectionAsync(cancellationToken);
        schema ??= connection.Database;
        var name = string.IsNullOrEmpty(schema) ? _dialect.Quote(table) : $"{_dialect.Quote(schema)}.{_dialect.Quote(table)}";
        var columns = await _dialect.ColumnsAsync(connection, schema, table, cancellationToken);
        if (columns.Count == 0 && create)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = _dialect.DefaultTable(name);
            await command.ExecuteNonQueryAsync(cancellationToken);
            _context.Logger.LogInformation("{Service}: created table {Table} (the default layout)", _dialect.Service, name);
            columns = await _dialect.ColumnsAsync(connection, schema, table, cancellationToken);
        }

        return columns.Count == 0
            ? throw new PermanentDeliveryException($"{_dialect.Service}: table {name} does not exist (or has no columns the user may see)")
            : new SqlTable<TType>(name, columns);
    }

    private void Forget(IEnumerable<string> tables)
    {
        var names = tables.ToHashSet(StringComparer.Ordinal);
        foreach (var pair in _tables.Where(p => !p.Value.IsCompletedSuccessfully || names.Contains(p.Value.Result.Name)))
        {
            _tables.TryRemove(pair);
        }
    }
}
