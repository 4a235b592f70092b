namespace Hub.Delivery;

/// <summary>How one delivery attempt ended.</summary>
public enum DeliveryResult
{
    /// <summary>The sink accepted the item.</summary>
    Sent,

    /// <summary>The sink threw.</summary>
    Threw,

    /// <summary>The sink did not finish within the service's timeout.</summary>
    TimedOut,
}
