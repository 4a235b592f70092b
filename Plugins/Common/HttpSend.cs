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
            throw new TransientDeliveryException($"{operation} failed: {Describe(ex.HttpRequestError)}", null, ex);
        }
        catch (IOException ex)
        {
            throw new TransientDeliveryException($"{operation} failed: the connection broke", null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDeliveryException($"{operation} failed: no answer in time", null, ex);
        }
    }

    /// <summary>The kind of network error in words, without the exception's text (which may name the URL).</summary>
    public static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name did not resolve",
        HttpRequestError.ConnectionError => "could not connect",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "the server closed the connection before answering",
        HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
        _ => $"network error ({error})",
    };

    /// <summary>True for an absolute http or https URL (the rule for every <c>api_url</c>).</summary>
    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is ("http" or "https");
}
