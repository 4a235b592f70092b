using Hub.Plugins;

namespace Hub.Tests.Support;

/// <summary>Asserts on the contract's delivery exceptions (<see cref="TransientDeliveryException"/>, <see cref="PermanentDeliveryException"/>).</summary>
public static class DeliveryFailures
{
    public static void AssertTransient(Exception exception, TimeSpan? retryAfter)
    {
        var transient = Assert.IsType<TransientDeliveryException>(exception);
        Assert.Equal(retryAfter, transient.RetryAfter);
    }

    public static void AssertPermanent(Exception exception) => Assert.IsType<PermanentDeliveryException>(exception);
}
