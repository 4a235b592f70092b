using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// Sends each message to a Matrix room with the client-server API
/// (<c>PUT /rooms/{roomId}/send/m.room.message/{txnId}</c>); room aliases are resolved once and remembered.
/// A retried item keeps its transaction id, so the homeserver drops a duplicate.
/// </summary>
[Plugin("matrix", Description = "Send messages to a Matrix room (client-server API)")]
public sealed class MatrixSink(IPluginContext context, MatrixOptions options) : ISink, ITargetBinder
{
    private readonly ConcurrentDictionary<string, string> _roomIdsByAlias = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<DeliveryItem, string> _transactions = [];

    public object BindTarget(string? targetName, object? descriptor) => MatrixRoom.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var room = Descriptor.Bound(item, d => MatrixRoom.From(d), "matrix");

        var roomId = room[0] == '#' ? await ResolveAsync(room, cancellationToken) : room;
        var transaction = _transactions.GetValue(item, _ => "hub." + Guid.NewGuid().ToString("N"));
        var url = $"{Api}/rooms/{Uri.EscapeDataString(roomId)}/send/m.room.message/{Uri.EscapeDataString(transaction)}";
        using var request = Request(HttpMethod.Put, url);
        request.Content = HttpDelivery.Json(Body(item));
        using var response = await SendAsync(request, "matrix send", cancellationToken);
        context.Logger.LogDebug("matrix: sent to {Room}", room);
    }

    private string Api => $"{options.Homeserver.TrimEnd('/')}/_matrix/client/v3";

    private JsonObject Body(DeliveryItem item)
    {
        var body = new JsonObject { ["msgtype"] = options.Msgtype };
        if (item.Title.Length == 0)
        {
            body["body"] = item.Message;
            return body;
        }

        body["body"] = $"{item.Title}\n{item.Message}";
        body["format"] = "org.matrix.custom.html";
        body["formatted_body"] = $"<strong>{Html(item.Title)}</strong><br>{Html(item.Message)}";
        return body;
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>", StringComparison.Ordinal);

    /// <summary>The room id of an alias (<c>GET /directory/room/{alias}</c>), remembered for later messages.</summary>
    private async Task<string> ResolveAsync(string alias, CancellationToken cancellationToken)
    {
        if (_roomIdsByAlias.TryGetValue(alias, out var known))
        {
            return known;
        }

        using var request = Request(HttpMethod.Get, $"{Api}/directory/room/{Uri.EscapeDataString(alias)}");
        using var response = await SendAsync(request, "matrix room alias lookup", cancellationToken);
        string? roomId = null;
        try
        {
            using var reply = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            roomId = ChatHttp.Text(reply.RootElement, "room_id");
        }
        catch (JsonException)
        {
            // not JSON: no room id, reported below
        }

        if (roomId is null)
        {
            throw new PermanentDeliveryException("matrix room alias lookup failed: no room_id in the answer");
        }

        _roomIdsByAlias[alias] = roomId;
        return roomId;
    }

    private HttpRequestMessage Request(HttpMethod method, string url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        return request;
    }

    /// <summary>Sends; a refusal fails with Matrix's <c>errcode: error</c>, a 429 with <c>retry_after_ms</c> (else Retry-After).</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string operation, CancellationToken cancellationToken)
    {
        var response = await HttpSend.SendAsync(context.CreateHttpClient(), request, operation, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            string? reason = HttpDelivery.Shorten(text);
            TimeSpan? retryAfter = null;
            try
            {
                using var reply = JsonDocument.Parse(text);
                var root = reply.RootElement;
                if (ChatHttp.Text(root, "errcode") is { } code)
                {
                    reason = ChatHttp.Text(root, "error") is { } error ? $"{code}: {error}" : code;
                }

                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("retry_after_ms", out var ms) && ms.TryGetInt64(out var milliseconds) && milliseconds >= 0)
                {
                    retryAfter = TimeSpan.FromMilliseconds(milliseconds);
                }
            }
            catch (JsonException)
            {
                // a proxy's error page: the body is the reason
            }

            throw HttpDelivery.Failure(operation, response.StatusCode, reason, retryAfter ?? RetryAfter.From(response, context.TimeProvider));
        }
    }
}
