namespace Hub.Plugins.Common;

/// <summary>
/// Sends a notifier's request and turns a failure to reach the API (connection refused, DNS, TLS,
/// a reset, the per-request timeout) into a <see cref="TransientDeliveryException"/> naming the
/// operation. The message never carries the URL: it may hold a token.
/// </summary>
public static class HttpSend
{
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        try
        {
            return await client.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new TransientDeliveryException($"{operation} failed: {Reason(ex)}", null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDeliveryException($"{operation} failed: the request timed out", null, ex);
        }
    }

    /// <summary>The kind of network error (e.g. <c>ConnectionError</c>, <c>NameResolutionError</c>), without the exception's text.</summary>
    private static string Reason(HttpRequestException ex) => ex.InnerException is System.Net.Sockets.SocketException socket
        ? $"{ex.HttpRequestError} ({socket.SocketErrorCode})"
        : ex.HttpRequestError.ToString();

    /// <summary>True for an absolute http or https URL (the rule for every <c>api_url</c>).</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https");
}
