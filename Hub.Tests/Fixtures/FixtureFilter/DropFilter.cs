using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureFilter;

/// <summary>Drops every message whose payload contains "drop".</summary>
[Plugin("fixture_filter")]
public sealed class DropFilter : IMessageFilter
{
    public ValueTask<bool> AcceptAsync(PipelineMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(!message.PayloadText.Contains("drop", StringComparison.Ordinal));
}
