namespace Hub.Plugins;

/// <summary>
/// A delivery that failed for a reason that may pass (HTTP 429, a 5xx, a rate limit): the host may
/// try again, not before <see cref="RetryAfter"/> when the destination said so.
/// </summary>
public sealed class TransientDeliveryException : Exception
{
    /// <summary>A passing failure with its reason (logged), the delay the destination asked for, and the underlying error.</summary>
    public TransientDeliveryException(string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException) => RetryAfter = retryAfter;

    /// <summary>How long the destination asked to wait (Retry-After), or null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; }
}
