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

/// <summary>One attempt's result and, when the sink threw, what it threw (the retry policy reads it).</summary>
public readonly record struct DeliveryAttempt(DeliveryResult Result, Exception? Failure = null)
{
    public static implicit operator DeliveryAttempt(DeliveryResult result) => new(result);

    /// <summary>Why the retry step stopped trying (<c>2 retries exhausted: HTTP 503</c>); null while it may still retry.</summary>
    public string? GaveUp { get; init; }

    /// <summary>The failure in a few words for the log.</summary>
    public string Reason => GaveUp ?? Failure?.Message ?? (Result == DeliveryResult.TimedOut ? "timed out" : Result.ToString());
}
