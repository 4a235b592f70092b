using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>
/// Writes rows to MySQL or MariaDB: each batch is one transaction with multi-row <c>INSERT</c>s (one per table and
/// column set, split to stay under the protocol's parameter limit); a target with a conflict key adds
/// <c>ON DUPLICATE KEY UPDATE</c> (a no-op, or the other columns), so a batch written twice keeps each row once.
/// Column types are read from the table once (and again after a failure), and values converted to them
/// (<see cref="SqlWriter{TType}"/> with <see cref="MysqlDialect"/>).
/// </summary>
[Plugin("mysql", Description = "Write rows to MySQL or MariaDB (multi-row INSERT per batch, optional ON DUPLICATE KEY upsert)")]
public sealed class MysqlSink(IPluginContext context, MysqlOptions options) : IBatchSink, ITargetBinder, IAsyncDisposable
{
    private readonly SqlWriter<ColumnKind> _writer = new(context, new MysqlDialect(options), options.CreateTable);

    /// <summary>Rows per batch at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    public object BindTarget(string? targetName, object? descriptor) => SqlWriter<ColumnKind>.Bind(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => _writer.WriteAsync([item], cancellationToken);

    public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) => _writer.WriteAsync(items, cancellationToken);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
