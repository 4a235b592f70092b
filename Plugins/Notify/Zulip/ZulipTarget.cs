using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// One resolved <c>zulip</c> target: a channel (stream) with an optional topic, as <c>'channel'</c>,
/// <c>['channel', 'topic'?]</c> or <c>{stream, topic}</c>; or direct-message recipients as
/// <c>{direct: 'user@example.org' or [addresses]}</c>. The topic is a format string.
/// </summary>
public sealed record ZulipTarget(string? Stream, string? Topic, IReadOnlyList<string>? Recipients)
{
    private const string Shape = "the target must be 'channel', ['channel', 'topic'?], {'stream': …, 'topic': …} or {'direct': 'user@example.org' or [addresses]}";

    public static ZulipTarget From(object? descriptor)
    {
        if (Descriptor.Named(descriptor) is { } named)
        {
            var unknown = named.Keys.Except(["stream", "topic", "direct"]).ToList();
            if (unknown.Count > 0)
            {
                throw new FormatException($"unknown key(s) in the target: {string.Join(", ", unknown)} ({Shape})");
            }

            if (named.TryGetValue("direct", out var direct))
            {
                if (named.ContainsKey("stream") || named.ContainsKey("topic"))
                {
                    throw new FormatException("a direct-message target has no stream or topic");
                }

                var recipients = (direct is IReadOnlyList<object?> list ? list : [direct]).Select(Text).ToList();
                return recipients.Count > 0 && recipients.All(r => r is not null)
                    ? new ZulipTarget(null, null, recipients!)
                    : throw new FormatException("the target's direct recipients must be one or more e-mail addresses (or user ids)");
            }

            return new ZulipTarget(Text(named.GetValueOrDefault("stream")) ?? throw new FormatException(Shape), Text(named.GetValueOrDefault("topic")), null);
        }

        var items = Descriptor.Items(descriptor);
        var stream = items.Count is 1 or 2 ? Text(items[0]) : null;
        return stream is null ? throw new FormatException(Shape) : new ZulipTarget(stream, Text(items.ElementAtOrDefault(1)), null);
    }

    private static string? Text(object? value) => OptionValues.ToText(value) is { } text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
}
