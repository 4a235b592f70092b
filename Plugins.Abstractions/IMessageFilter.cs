namespace Hub.Plugins;

/// <summary>A filter stage: decides whether a route goes on with a message.</summary>
public interface IMessageFilter
{
    /// <summary>True to let the message through this route; false drops it for this route only.</summary>
    ValueTask<bool> AcceptAsync(PipelineMessage message, CancellationToken cancellationToken);
}
