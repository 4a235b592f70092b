using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureHanging;

/// <summary>Blocks its caller's thread and ignores cancellation: the worst a plugin can do.</summary>
[Plugin("fixture_hanging")]
public sealed class HangingSink : ISink
{
    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        return ValueTask.CompletedTask;
    }
}
