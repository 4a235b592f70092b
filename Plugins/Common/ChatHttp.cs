using System.Text.Json;

namespace Hub.Plugins.Common;

/// <summary>
/// Sends one notifier request and classifies what goes wrong before a response arrives: a refused
/// or reset connection, a DNS failure or the client's timeout become a
/// <see cref="TransientDeliveryException"/> whose message names the operation (never the URL, which
/// may hold a token). Cancellation by the caller's token passes through untouched.
/// </summary>
public static class ChatHttp
{
    /// <summary>
    /// The exception for a refused response (see <see cref="HttpDelivery.Failure"/>), with the
    /// reason <paramref name="reason"/> finds in the JSON body (the API's own error text), else the
    /// shortened body; the delay from <c>Retry-After</c>.
    /// </summary>
    public static async Task<Exception> FailureAsync(HttpResponseMessage response, string operation, TimeProvider time, Func<JsonElement, string?> reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(reason);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? found = null;
        try
        {
            using var reply = JsonDocument.Parse(text);
            found = reply.RootElement.ValueKind == JsonValueKind.Object ? reason(reply.RootElement) : null;
        }
        catch (JsonException)
        {
            // a plain-text or HTML error page: the body is the reason
        }

        return HttpDelivery.Failure(operation, response.StatusCode, found ?? HttpDelivery.Shorten(text), RetryAfter.From(response, time));
    }

    /// <summary>The text of a string member (a path of nested names), or null.</summary>
    public static string? Text(JsonElement element, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : null;
    }
}
