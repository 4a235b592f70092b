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

    /// <summary>
    /// The sink blocked its caller's thread past the timeout and has now returned; the timeout was already
    /// reported (and the target's worker replaced), so this outcome is not counted again.
    /// </summary>
    Abandoned,
}
