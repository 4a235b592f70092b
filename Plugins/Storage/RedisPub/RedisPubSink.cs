namespace Hub.Plugins.Storage;

/// <summary>
/// mqttwarn's <c>redispub</c>: PUBLISH each message to the target's channel (<c>['channel']</c>). The
/// <c>redis</c> plugin's code under mqttwarn's name, so an mqttwarn configuration runs unchanged.
/// </summary>
[Plugin("redispub", Description = "PUBLISH each message to a Redis channel (mqttwarn's redispub)")]
public sealed class RedisPubSink(IPluginContext context, RedisPubOptions options) : IBatchSink, ITargetBinder, IAsyncDisposable
{
    private readonly RedisSink _redis = new(context, options.ForRedis());

    public int MaxBatchSize => _redis.MaxBatchSize;

    /// <summary>mqttwarn's <c>['channel']</c> only, bound as the <c>redis</c> plugin's PUBLISH target.</summary>
    public object BindTarget(string? targetName, object? descriptor) =>
        descriptor is IReadOnlyList<object?> { Count: 1 } list && list[0] is string { Length: > 0 }
            ? _redis.BindTarget(targetName, descriptor)
            : throw new FormatException("the target must be ['channel']");

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => _redis.SendAsync(item, cancellationToken);

    public ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) => _redis.SendBatchAsync(items, cancellationToken);

    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
