namespace Hub.Plugins;

/// <summary>
/// A delivery the destination refused for a reason that sending again will not fix (HTTP 4xx, an
/// API error such as an unknown channel): the host should not retry it as it is.
/// </summary>
public sealed class PermanentDeliveryException : Exception
{
    /// <summary>A refusal with its reason (logged), the HTTP status when there was one, and the underlying error.</summary>
    public PermanentDeliveryException(string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException) => StatusCode = statusCode;

    /// <summary>The HTTP status of the refusal, when there was one.</summary>
    public int? StatusCode { get; }
}
