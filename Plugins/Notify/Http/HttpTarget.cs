using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>http</c> target, mqttwarn's <c>[method, url, params or None, [user, pass] or None, json?]</c>.
/// <c>params</c> is a dict <c>{name: value}</c> or the shorthand list <c>['p1', '@p2', '?p3']</c>,
/// where each item names a data key: <c>'p1'</c> is <c>{'p1': '{p1}'}</c>, <c>'@p2'</c> is
/// <c>{'p2': '@p2'}</c> and <c>'?p3'</c> is <c>{'p3': '?p3'}</c>.
/// </summary>
public sealed record HttpTarget(HttpMethod Method, string Url, IReadOnlyList<HttpParameter>? Parameters, string? User, string? Password, bool Json)
{
    private const string Shape = "the target must be [method, url, params or None, [user, password] or None, json?] with method 'get' or 'post'";

    public static HttpTarget From(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        if (items.Count is < 2 or > 5 || items[0] is not string method || items[1] is not string url)
        {
            throw new FormatException(Shape);
        }

        var verb = method.Trim().ToUpperInvariant() switch
        {
            "GET" => HttpMethod.Get,
            "POST" => HttpMethod.Post,
            _ => throw new FormatException($"unsupported HTTP method '{method}': use get or post"),
        };

        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException("the URL (second item) must start with http:// or https://");
        }

        var parameters = ReadParameters(items.ElementAtOrDefault(2));
        if (parameters?.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new FormatException($"the parameter '{duplicate.Key}' is named twice");
        }

        string? user = null, password = null;
        switch (items.ElementAtOrDefault(3))
        {
            case null:
                break;
            case IReadOnlyList<object?> { Count: 2 } auth when auth[0] is not null && auth[1] is not null:
                (user, password) = (OptionValues.ToText(auth[0]), OptionValues.ToText(auth[1]));
                break;
            default:
                throw new FormatException("the credentials (fourth item) must be [user, password] or None");
        }

        var json = items.ElementAtOrDefault(4) is { } flag && OptionValues.ToBool(flag, "the json flag (fifth item)");
        return new HttpTarget(verb, url, parameters, user, password, json);
    }

    private static List<HttpParameter>? ReadParameters(object? value) => value switch
    {
        null => null,
        IReadOnlyDictionary<string, object?> dict => [.. dict.Select(p => new HttpParameter(p.Key, p.Value))],
        IReadOnlyList<object?> names when names.All(n => n is string { Length: > 0 } s && s.TrimStart('@', '?').Length > 0) =>
            [.. names.Cast<string>().Select(n => n[0] is '@' or '?' ? new HttpParameter(n[1..], n) : new HttpParameter(n, "{" + n + "}"))],
        _ => throw new FormatException("the parameters (third item) must be a dict, a list of data keys ('p1', '@p2', '?p3') or None"),
    };
}
