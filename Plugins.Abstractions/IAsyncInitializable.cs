namespace Hub.Plugins;

/// <summary>Optional capability: work to do once before the first call (open a connection, warm a cache).</summary>
public interface IAsyncInitializable
{
    /// <summary>Called once after construction, before any message; a failure is reported like a configuration error.</summary>
    ValueTask InitializeAsync(CancellationToken cancellationToken);
}
