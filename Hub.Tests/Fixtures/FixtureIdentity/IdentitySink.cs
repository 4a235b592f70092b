using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureIdentity;

/// <summary>Does nothing: proves that its <see cref="ISink"/> is the host's, and that its context unloads.</summary>
[Plugin("fixture_identity")]
public sealed class IdentitySink : ISink
{
    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
