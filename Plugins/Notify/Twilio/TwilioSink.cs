using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message as an SMS through Twilio: <c>POST {api_url}/2010-04-01/Accounts/{sid}/Messages.json</c>
/// with basic authentication (<c>sid:token</c>) and the form fields <c>From</c>, <c>To</c>, <c>Body</c>.
/// </summary>
[Plugin("twilio", Description = "Send SMS through Twilio")]
public sealed class TwilioSink(IPluginContext context, TwilioOptions options) : ISink, ITargetBinder
{
    private const string Operation = "twilio messages";

    public object BindTarget(string? targetName, object? descriptor) => TwilioTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => TwilioTarget.From(d), "twilio");

        var fields = new KeyValuePair<string, string>[] { new("From", target.Sender), new("To", target.To), new("Body", item.Message) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/2010-04-01/Accounts/{target.AccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{target.AccountSid}:{target.AuthToken}")));
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw HttpDelivery.Failure(Operation, response.StatusCode, ErrorOf(text), RetryAfter.From(response, context.TimeProvider));
        }

        context.Logger.LogDebug("twilio: SMS queued for target {Target}", item.Target);
    }

    /// <summary>Twilio's <c>{"code": 21211, "message": …}</c>, else the body.</summary>
    private static string ErrorOf(string body)
    {
        try
        {
            using var reply = JsonDocument.Parse(body);
            var root = reply.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var message))
            {
                return root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number ? $"{message} (error {code})" : message.ToString();
            }
        }
        catch (JsonException)
        {
            // not Twilio's error object: the text itself is the reason
        }

        return HttpDelivery.Shorten(body);
    }
}
