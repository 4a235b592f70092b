namespace Hub.Plugins.Common;

/// <summary>
/// Sends one notifier request and classifies what goes wrong before a response arrives: a refused
/// or reset connection, a DNS failure or the client's timeout become a
/// <see cref="TransientDeliveryException"/> whose message names the operation (never the URL, which
/// may hold a token). Cancellation by the caller's token passes through untouched.
/// </summary>
public static class ChatHttp
{
    /// <summary>Sends <paramref name="request"/>; the caller disposes the response and checks its status (<see cref="HttpDelivery.EnsureSuccessAsync"/>).</summary>
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
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientDeliveryException($"{operation} failed: no answer in time", null, ex);
        }
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "the host name did not resolve",
        HttpRequestError.ConnectionError => "could not connect",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "the server closed the connection before answering",
        HttpRequestError.ProxyTunnelError => "the proxy refused the tunnel",
        _ => "the request did not complete (" + error + ")",
    };
}
