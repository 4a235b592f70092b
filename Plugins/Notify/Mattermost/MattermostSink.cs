using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Posts each message to a Mattermost incoming webhook: the title as a heading above the text, and
/// (as mqttwarn does) a message that is a JSON object as a key/value table.
/// </summary>
[Plugin("mattermost", Description = "Post messages to a Mattermost incoming webhook")]
public sealed class MattermostSink(IPluginContext context, MattermostOptions options) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor) => MattermostTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => MattermostTarget.From(d), "mattermost");

        var body = new JsonObject { ["text"] = Text(item) };
        Add(body, "channel", target.Channel);
        Add(body, "username", target.Username);
        Add(body, "icon_url", target.IconUrl);
        using var request = new HttpRequestMessage(HttpMethod.Post, target.HookUrl) { Content = HttpDelivery.Json(body) };
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, "mattermost webhook", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Mattermost explains a refusal as {"id": …, "message": …, "status_code": …}.
            throw await ChatHttp.FailureAsync(response, "mattermost webhook", context.TimeProvider, r => ChatHttp.Text(r, "message"), cancellationToken);
        }

        context.Logger.LogDebug("mattermost: posted to the webhook of target {Target}", item.Target);
    }

    /// <summary>The title as a level-4 heading, then the message (or its key/value table).</summary>
    private string Text(DeliveryItem item)
    {
        var text = new StringBuilder();
        if (item.Title.Length > 0)
        {
            text.Append("#### ").Append(item.Title).Append('\n');
        }

        return text.Append(options.JsonTable && Table(item.Message) is { } table ? table : item.Message).ToString();
    }

    /// <summary>A Markdown table of a JSON object's members, or null when the message is not a JSON object.</summary>
    private static string? Table(string message)
    {
        if (!message.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(message);
            var table = new StringBuilder("| key | value |\n|:--- |:--- |\n");
            foreach (var member in document.RootElement.EnumerateObject())
            {
                var value = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : member.Value.GetRawText();
                table.Append("| ").Append(Cell(member.Name)).Append(" | ").Append(Cell(value ?? "")).Append(" |\n");
            }

            return table.ToString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static void Add(JsonObject body, string key, string? value)
    {
        if (value is not null)
        {
            body[key] = value;
        }
    }
}
