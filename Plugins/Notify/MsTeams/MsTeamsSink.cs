using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Posts each message to a Microsoft Teams channel webhook as a card with the title and the text:
/// an Adaptive Card (Workflows webhooks) or a legacy <c>MessageCard</c>, coloured by priority.
/// </summary>
[Plugin("msteams", Description = "Post messages to a Microsoft Teams webhook (Adaptive Card or MessageCard)")]
public sealed class MsTeamsSink(IPluginContext context, MsTeamsOptions options) : ISink, ITargetBinder
{
    private const string Operation = "msteams webhook";

    public object BindTarget(string? targetName, object? descriptor) => MsTeamsTarget.From(options, descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => MsTeamsTarget.From(options, d), "msteams");

        var body = target.Card == MsTeamsCard.Adaptive ? AdaptiveCard(item) : MessageCard(item);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.WebhookUrl) { Content = HttpDelivery.Json(body) };
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, Operation, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ChatHttp.FailureAsync(response, Operation, context.TimeProvider, r => ChatHttp.Text(r, "error", "message") ?? ChatHttp.Text(r, "message"), cancellationToken);
        }

        // Legacy connectors report a failed delivery with HTTP 200 and a sentence instead of "1".
        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        if (text.StartsWith("Webhook message delivery failed", StringComparison.OrdinalIgnoreCase))
        {
            var reason = $"{Operation} failed: {HttpDelivery.Shorten(text)}";
            throw text.Contains("429", StringComparison.Ordinal) ? new TransientDeliveryException(reason) : new PermanentDeliveryException(reason);
        }

        context.Logger.LogDebug("msteams: posted a {Card} card to the webhook of target {Target}", target.Card, item.Target);
    }

    /// <summary>The MessageCard's <c>themeColor</c>: grey, green, yellow, red.</summary>
    public static string ThemeColour(int priority) => priority switch
    {
        < 0 => "A0A0A0",
        0 => "2EB886",
        1 => "DAA038",
        _ => "A30200",
    };

    /// <summary>The Adaptive Card title's colour name: default, good, warning, attention.</summary>
    public static string AdaptiveColour(int priority) => priority switch
    {
        < 0 => "Default",
        0 => "Good",
        1 => "Warning",
        _ => "Attention",
    };

    private static JsonObject MessageCard(DeliveryItem item)
    {
        var card = new JsonObject
        {
            ["@type"] = "MessageCard",
            ["@context"] = "https://schema.org/extensions",
            ["summary"] = item.Title.Length > 0 ? item.Title : item.Message,
            ["themeColor"] = ThemeColour(item.Priority),
        };
        if (item.Title.Length > 0)
        {
            card["title"] = item.Title;
        }

        card["text"] = item.Message;
        return card;
    }

    private static JsonObject AdaptiveCard(DeliveryItem item)
    {
        var blocks = new JsonArray();
        if (item.Title.Length > 0)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = item.Title,
                ["weight"] = "Bolder",
                ["size"] = "Medium",
                ["color"] = AdaptiveColour(item.Priority),
                ["wrap"] = true,
            });
        }

        blocks.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = item.Message, ["wrap"] = true });
        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.card.adaptive",
                ["contentUrl"] = null,
                ["content"] = new JsonObject
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = blocks,
                },
            }),
        };
    }
}
