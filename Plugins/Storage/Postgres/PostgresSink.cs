using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>
/// Writes rows to PostgreSQL: each batch is one transaction with one binary <c>COPY</c> per table and column set;
/// a target with a conflict key copies into a temporary table first and inserts from it with
/// <c>ON CONFLICT … DO NOTHING</c> (or <c>DO UPDATE</c>), so a batch written twice keeps each row once.
/// Column types are read from the table once (and again after a failure), and values converted to them
/// (<see cref="SqlWriter{TType}"/> with <see cref="PostgresDialect"/>).
/// </summary>
[Plugin("postgres", Description = "Write rows to PostgreSQL (binary COPY per batch, optional ON CONFLICT upsert)")]
public sealed class PostgresSink(IPluginContext context, PostgresOptions options) : IBatchSink, ITargetBinder, IAsyncDisposable
{
    private readonly SqlWriter<PgType> _writer = new(context, new PostgresDialect(options), options.CreateTable);

    /// <summary>Rows per batch at most; the operator's <c>batch_size</c> may lower it.</summary>
    public int MaxBatchSize => 1000;

    public object BindTarget(string? targetName, object? descriptor) => SqlWriter<PgType>.Bind(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => _writer.WriteAsync([item], cancellationToken);

    public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) => _writer.WriteAsync(items, cancellationToken);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
