using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Hub.Plugins.Common;

/// <summary>
/// HTTP helpers for notifiers: JSON bodies, and turning a refused response into the exception the
/// host acts on. Messages name the operation and the API's reason, never the URL, which may carry a
/// token (Telegram puts it in the path).
/// </summary>
public static class HttpDelivery
{
    /// <summary>A UTF-8 <c>application/json</c> body.</summary>
    public static StringContent Json(JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
    }

    /// <summary>
    /// The exception for a refused request: 429 and 5xx are <see cref="TransientDeliveryException"/>
    /// (with the Retry-After delay, or <paramref name="retryAfter"/> when the API gives it in its
    /// body), anything else <see cref="PermanentDeliveryException"/>.
    /// </summary>
    public static Exception Failure(string operation, HttpStatusCode status, string? reason, TimeSpan? retryAfter = null)
    {
        var code = (int)status;
        var text = $"{operation} failed: HTTP {code}" + (string.IsNullOrWhiteSpace(reason) ? "" : $": {reason.Trim()}");
        if (status == HttpStatusCode.TooManyRequests || code >= 500)
        {
            return new TransientDeliveryException(
                retryAfter is { } delay ? $"{text} (retry after {delay.TotalSeconds:0.###} s)" : text, retryAfter);
        }

        return new PermanentDeliveryException(text, code);
    }

    /// <summary>Throws <see cref="Failure"/> unless the response is a success; <paramref name="reason"/> defaults to the body text.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw Failure(operation, response.StatusCode, Shorten(body), RetryAfter.From(response, time));
    }

    /// <summary>At most 300 characters of an error body, so a HTML error page does not flood the log.</summary>
    public static string Shorten(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
