using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One <c>ntfy</c> target: the topic URL as text, or a dict <c>{url, file?, __settings__?, and any ntfy field}</c>
/// (mqttwarn's descriptor).
/// </summary>
public sealed record NtfyTarget(string Url, string? File, bool UnlinkFile, IReadOnlyDictionary<string, object?> Fields)
{
    /// <summary>The ntfy fields, in mqttwarn's order; each travels as the header <c>X-Name</c>.</summary>
    public static readonly string[] FieldNames =
        ["message", "title", "tags", "priority", "actions", "click", "attach", "filename", "delay", "icon", "email", "cache", "firebase", "unifiedpush"];

    private static readonly string[] Settings = ["file_retry_tries", "file_retry_interval", "file_unlink"];

    public static NtfyTarget From(object? descriptor)
    {
        if (descriptor is string text)
        {
            return new NtfyTarget(CheckUrl(text), null, false, new Dictionary<string, object?>());
        }

        if (Descriptor.Named(descriptor) is not { } named)
        {
            throw new FormatException("the target must be the topic URL ('https://ntfy.sh/mytopic') or a dict {'url': …, 'title': …, 'file': …}");
        }

        var unknown = named.Keys.Where(k => k is not ("url" or "file" or "__settings__") && !FieldNames.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"unknown key(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))} (known: url, file, __settings__, {string.Join(", ", FieldNames)})");
        }

        var unlink = false;
        if (named.GetValueOrDefault("__settings__") is { } settings)
        {
            if (Descriptor.Named(settings) is not { } values || values.Keys.Any(k => !Settings.Contains(k)))
            {
                throw new FormatException($"__settings__ must be a dict of {string.Join(", ", Settings)}");
            }

            unlink = values.GetValueOrDefault("file_unlink") is { } flag && OptionValues.ToBool(flag, "file_unlink");
        }

        var url = OptionValues.ToText(named.GetValueOrDefault("url")) ?? throw new FormatException("the target dict needs a 'url' (the topic URL)");
        var file = OptionValues.ToText(named.GetValueOrDefault("file")) is { Length: > 0 } path ? path : null;
        var fields = named.Where(p => FieldNames.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value);
        return new NtfyTarget(CheckUrl(url), file, unlink, fields);
    }

    private static string CheckUrl(string url) => HttpSend.IsHttpUrl(url) && new Uri(url).AbsolutePath.Trim('/').Length > 0
        ? url
        : throw new FormatException("the topic URL must be an http(s) URL with the topic as its path ('https://ntfy.sh/mytopic')");
}
