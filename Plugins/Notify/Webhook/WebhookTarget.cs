using System.Net.Http.Headers;
using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>webhook</c> target: a URL text, or a dict <c>{url, method, headers, body, content_type}</c>
/// whose keys override the service's options (headers are merged, the target's win).
/// </summary>
public sealed record WebhookTarget(string Url, HttpMethod Method, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body, string ContentType)
{
    private static readonly string[] Methods = ["POST", "PUT", "PATCH", "GET", "DELETE"];

    /// <summary>GET and DELETE go without a body.</summary>
    public bool HasBody => Method != HttpMethod.Get && Method != HttpMethod.Delete;

    public static WebhookTarget From(WebhookOptions service, object? descriptor)
    {
        ArgumentNullException.ThrowIfNull(service);
        string? url;
        var method = service.Method;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        void Merge(IReadOnlyDictionary<string, object?>? more)
        {
            foreach (var (name, value) in more ?? new Dictionary<string, object?>())
            {
                if (!headers.ContainsKey(name))
                {
                    order.Add(name);
                }

                headers[name] = OptionValues.ToText(value) ?? "";
            }
        }

        Merge(service.Headers);
        var body = service.Body;
        var contentType = service.ContentType;
        switch (descriptor)
        {
            case string text:
                url = text;
                break;
            case IReadOnlyList<object?> { Count: 1 } list when list[0] is string text:
                url = text;
                break;
            case IReadOnlyDictionary<string, object?> named:
                var unknown = named.Keys.Except(["url", "method", "headers", "body", "content_type"]).ToList();
                if (unknown.Count > 0)
                {
                    throw new FormatException($"unknown key '{unknown[0]}' in the target (known: url, method, headers, body, content_type)");
                }

                url = named.GetValueOrDefault("url") as string;
                method = OptionValues.ToText(named.GetValueOrDefault("method")) ?? method;
                if (named.GetValueOrDefault("headers") is { } targetHeaders)
                {
                    Merge(targetHeaders as IReadOnlyDictionary<string, object?> ?? throw new FormatException("headers must be a dict {name: value}"));
                }

                body = OptionValues.ToText(named.GetValueOrDefault("body")) ?? body;
                contentType = OptionValues.ToText(named.GetValueOrDefault("content_type")) ?? contentType;
                break;
            default:
                throw new FormatException("the target must be 'URL', ['URL'] or {'url': …, 'method': …, 'headers': {…}, 'body': …, 'content_type': …}");
        }

        if (url is null || !(url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            throw new FormatException("the target's url must start with http:// or https://");
        }

        var ordered = order.Select(name => KeyValuePair.Create(name, headers[name])).ToList();
        var problem = Problems(method, headers.ToDictionary(h => h.Key, h => (object?)h.Value), contentType).Select(p => $"{p.Key}: {p.Message}").FirstOrDefault();
        if (problem is not null)
        {
            throw new FormatException(problem);
        }

        return new WebhookTarget(url, new HttpMethod(method.Trim().ToUpperInvariant()), ordered, body, contentType);
    }

    /// <summary>What is wrong with a method, header set or content type; empty when nothing is.</summary>
    public static IEnumerable<(string Key, string Message)> Problems(string method, IReadOnlyDictionary<string, object?>? headers, string contentType)
    {
        if (!Methods.Contains(method?.Trim().ToUpperInvariant()))
        {
            yield return ("method", $"must be one of {string.Join(", ", Methods)}, not '{method}'");
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out _))
        {
            yield return ("content_type", $"'{contentType}' is not a media type");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, object?>())
        {
            if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c)))
            {
                yield return ("headers", $"'{name}' is not a header name");
            }
            else if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                yield return ("headers", $"'{name}' belongs to the body: use content_type");
            }
            else if ((OptionValues.ToText(value) ?? "").Any(c => c is '\r' or '\n' or '\0'))
            {
                // The value is not quoted: it may be a token.
                yield return ("headers", $"the value of '{name}' holds a line break");
            }
        }
    }
}
