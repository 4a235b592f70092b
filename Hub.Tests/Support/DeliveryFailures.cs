namespace Hub.Tests.Support;

/// <summary>
/// Reads the delivery exceptions of <c>Plugins/Common</c> (<c>TransientDeliveryException</c>,
/// <c>PermanentDeliveryException</c>). Each plugin loads its own copy of that assembly in its own
/// load context, so tests recognise them by name, not by type.
/// </summary>
public static class DeliveryFailures
{
    public static void AssertTransient(Exception exception, TimeSpan? retryAfter)
    {
        Assert.Equal("TransientDeliveryException", exception.GetType().Name);
        Assert.Equal(retryAfter, (TimeSpan?)exception.GetType().GetProperty("RetryAfter")!.GetValue(exception));
    }

    public static void AssertPermanent(Exception exception) =>
        Assert.Equal("PermanentDeliveryException", exception.GetType().Name);
}
