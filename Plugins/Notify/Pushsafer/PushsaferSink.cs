using System.Text.Json;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to Pushsafer: <c>POST {api_url}/api</c>, form-encoded with the short
/// parameter names (<c>k m t d i s v u ut l pr re ex a ao af cr</c>); success is <c>{"status": 1}</c>.
/// </summary>
[Plugin("pushsafer", Description = "Push notifications through Pushsafer")]
public sealed class PushsaferSink(IPluginContext context, PushsaferOptions options) : ISink, ITargetBinder
{
    private const string Operation = "pushsafer api";

    public object BindTarget(string? targetName, object? descriptor) => PushsaferTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => PushsaferTarget.From(d), "pushsafer");

        var fields = new List<KeyValuePair<string, string>> { new("k", target.PrivateKey), new("m", item.Message) };
        if (item.Title.Length > 0)
        {
            fields.Add(new("t", item.Title));
        }

        fields.AddRange(target.Parameters);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{options.ApiUrl.TrimEnd('/')}/api") { Content = new FormUrlEncodedContent(fields) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var (status, error) = Reply(text);
        if (!response.IsSuccessStatusCode)
        {
            throw HttpDelivery.Failure(Operation, response.StatusCode, error ?? HttpDelivery.Shorten(text), RetryAfter.From(response, context.TimeProvider));
        }

        if (status != 1)
        {
            throw new PermanentDeliveryException($"{Operation} failed: {error ?? "status is not 1"}");
        }

        context.Logger.LogDebug("pushsafer: sent to target {Target}", item.Target);
    }

    private static (int? Status, string? Error) Reply(string text)
    {
        try
        {
            using var reply = JsonDocument.Parse(text);
            var root = reply.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            int? status = root.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) ? n : null;
            return (status, root.TryGetProperty("error", out var e) ? e.ToString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
