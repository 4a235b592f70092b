namespace Hub.Plugins;

/// <summary>
/// A small persistent key-value store private to one plugin instance (analytics baselines, cursors,
/// last-seen values). It survives restarts of the hub.
/// </summary>
public interface IStateStore
{
    /// <summary>The value stored under <paramref name="key"/>, or null.</summary>
    ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, replacing any earlier value.</summary>
    ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default);

    /// <summary>Removes <paramref name="key"/>; no error when it is absent.</summary>
    ValueTask DeleteAsync(string key, CancellationToken cancellationToken = default);
}
