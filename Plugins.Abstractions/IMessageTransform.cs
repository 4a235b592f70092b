namespace Hub.Plugins;

/// <summary>A transform stage: adds to (or overrides keys of) a message's transformation data.</summary>
public interface IMessageTransform
{
    /// <summary>Keys to merge into the data (later stages and formats see them); null for no change.</summary>
    ValueTask<IReadOnlyDictionary<string, object?>?> TransformAsync(PipelineMessage message, CancellationToken cancellationToken);
}
