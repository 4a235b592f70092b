using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureTransform;

/// <summary>Adds <c>upper</c>: the payload in upper case.</summary>
[Plugin("fixture_transform")]
public sealed class UpperTransform : IMessageTransform
{
    public ValueTask<IReadOnlyDictionary<string, object?>?> TransformAsync(PipelineMessage message, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, object?> result = new Dictionary<string, object?> { ["upper"] = message.PayloadText.ToUpperInvariant() };
        return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(result);
    }
}
