using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureHanging;

/// <summary>Blocks its caller's thread and ignores cancellation: the worst a plugin can do.</summary>
[Plugin("fixture_hanging")]
public sealed class HangingSink : ISink
{
    // Never set: waiting on it blocks the calling thread for good, as a plugin stuck in a blocking call would.
    private static readonly ManualResetEventSlim Never = new(false);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        Never.Wait();
        return ValueTask.CompletedTask;
    }
}
