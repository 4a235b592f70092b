using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureThrowing;

/// <summary>Fails every delivery.</summary>
[Plugin("fixture_throwing")]
public sealed class ThrowingSink : ISink
{
    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"fixture_throwing refuses {item.Topic}");
}
