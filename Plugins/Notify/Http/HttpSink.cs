using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's generic <c>http</c> service (<c>http_urllib</c>): a GET with the parameters as query
/// string, or a POST whose body is the parameters (form or JSON), the raw payload, or the message.
/// </summary>
[Plugin("http", Description = "Send each message as an HTTP GET or POST (mqttwarn's http_urllib)")]
public sealed class HttpSink(IPluginContext context, HttpOptions options) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor) => HttpTarget.From(descriptor);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var target = Descriptor.Bound(item, d => HttpTarget.From(d), "http");
        var operation = $"http {target.Method.Method}";
        var parameters = Parameters(item, target);

        // mqttwarn: a URL that cannot be formatted is used as written.
        string url;
        try
        {
            url = context.Formatter.Format(target.Url, item.Data);
        }
        catch (FormatException)
        {
            url = target.Url;
        }

        if (target.Method == HttpMethod.Get && parameters is not null)
        {
            var separator = url.EndsWith('?') || url.EndsWith('&') ? "" : url.Contains('?', StringComparison.Ordinal) ? "&" : "?";
            url += separator + FormEncoding.Encode(parameters);
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new PermanentDeliveryException($"{operation}: the formatted URL is not an absolute http(s) URL");
        }

        using var request = new HttpRequestMessage(target.Method, uri);
        if (target.Method == HttpMethod.Post)
        {
            request.Content = Body(item, target, parameters);
        }

        if (target.User is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{target.User}:{target.Password}")));
        }

        using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(options.Timeout), context.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            using var response = await context.CreateHttpClient().SendAsync(request, linked.Token);
            await HttpDelivery.EnsureSuccessAsync(response, operation, context.TimeProvider, linked.Token);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TransientDeliveryException($"{operation} timed out after {options.Timeout} s");
        }
        catch (HttpRequestException ex)
        {
            var reason = ex.InnerException is SocketException socket ? socket.SocketErrorCode.ToString() : ex.HttpRequestError.ToString();
            throw new TransientDeliveryException($"{operation} failed: {reason}");
        }

        context.Logger.LogDebug("http: {Method} for target {Target} accepted", target.Method.Method, item.Target);
    }

    private List<KeyValuePair<string, object?>>? Parameters(DeliveryItem item, HttpTarget target)
    {
        if (target.Parameters is null)
        {
            return null;
        }

        var values = new List<KeyValuePair<string, object?>>();
        foreach (var parameter in target.Parameters)
        {
            object? value;
            try
            {
                value = parameter.Resolve(item, context.Formatter);
            }
            catch (FormatException ex)
            {
                // mqttwarn gives up on the message when a parameter cannot be formatted.
                throw new PermanentDeliveryException($"http: parameter '{parameter.Name}' cannot be formatted: {ex.Message}");
            }

            if (value is not null)
            {
                values.Add(KeyValuePair.Create<string, object?>(parameter.Name, value));
            }
        }

        return values;
    }

    private static HttpContent Body(DeliveryItem item, HttpTarget target, List<KeyValuePair<string, object?>>? parameters)
    {
        if (parameters is not null)
        {
            return target.Json
                ? HttpDelivery.Json(new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, DataJson.From(p.Value)))))
                : Bytes(Encoding.ASCII.GetBytes(FormEncoding.Encode(parameters)), new MediaTypeHeaderValue("application/x-www-form-urlencoded"));
        }

        if (target.Json)
        {
            return Bytes(item.Payload.ToArray(), new MediaTypeHeaderValue("application/json"));
        }

        return Bytes(item.MessageBytes.ToArray(), new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" });
    }

    private static ByteArrayContent Bytes(byte[] body, MediaTypeHeaderValue type)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = type;
        return content;
    }
}
