using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>The Redis command a <c>redis</c> target runs for each message.</summary>
public enum RedisCommand
{
    Publish,
    Lpush,
    Rpush,
    Xadd,
    Hset,
    Set,
}

/// <summary>
/// One <c>redis</c> target: mqttwarn's <c>['channel']</c> (PUBLISH), or a dict
/// <c>{'command': 'rpush', 'key': 'sensors:{device}', 'maxlen': 1000, 'ttl': 60, 'field': '{topic}', 'fields': ['temp']}</c>.
/// </summary>
public sealed record RedisTarget(RedisCommand Command, string Key, long? MaxLen, bool Approximate, TimeSpan? Ttl, string Field, IReadOnlyList<string>? Fields)
{
    private static readonly string[] Keys = ["command", "key", "channel", "maxlen", "approximate", "ttl", "field", "fields"];

    public static RedisTarget From(object? descriptor)
    {
        if (Descriptor.Named(descriptor) is { } named)
        {
            foreach (var unknown in named.Keys.Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
            {
                throw new FormatException($"unknown key '{unknown}' (known: {string.Join(", ", Keys)})");
            }

            var commandText = named.GetValueOrDefault("command") as string ?? "publish";
            if (!Enum.TryParse<RedisCommand>(commandText, ignoreCase: true, out var command) || int.TryParse(commandText, out _))
            {
                throw new FormatException($"'command' must be one of publish, lpush, rpush, xadd, hset, set, not '{commandText}'");
            }

            var key = named.GetValueOrDefault("key") ?? named.GetValueOrDefault("channel");
            if (key is not string { Length: > 0 } keyText)
            {
                throw new FormatException("the target needs a 'key' (the channel for publish)");
            }

            long? maxLen = named.GetValueOrDefault("maxlen") switch
            {
                null => null,
                long n when n > 0 => n,
                var other => throw new FormatException($"'maxlen' must be a whole number above 0, not {OptionValues.Describe(other)}"),
            };
            if (maxLen is not null && command is not (RedisCommand.Xadd or RedisCommand.Lpush or RedisCommand.Rpush))
            {
                throw new FormatException("'maxlen' applies to xadd, lpush and rpush only");
            }

            TimeSpan? ttl = named.GetValueOrDefault("ttl") switch
            {
                null => null,
                long n when n > 0 => TimeSpan.FromSeconds(n),
                double d when d > 0 => TimeSpan.FromSeconds(d),
                var other => throw new FormatException($"'ttl' must be a number of seconds above 0, not {OptionValues.Describe(other)}"),
            };
            if (ttl is not null && command is RedisCommand.Publish)
            {
                throw new FormatException("'ttl' does not apply to publish");
            }

            var field = named.GetValueOrDefault("field") switch
            {
                null => "{topic}",
                string { Length: > 0 } f when command is RedisCommand.Hset => f,
                string when command is not RedisCommand.Hset => throw new FormatException("'field' applies to hset only"),
                var other => throw new FormatException($"'field' must be text, not {OptionValues.Describe(other)}"),
            };
            IReadOnlyList<string>? fields = named.GetValueOrDefault("fields") switch
            {
                null => null,
                IReadOnlyList<object?> list when command is RedisCommand.Xadd && list.Count > 0 && list.All(i => i is string { Length: > 0 }) => [.. list.Cast<string>()],
                _ when command is not RedisCommand.Xadd => throw new FormatException("'fields' applies to xadd only"),
                var other => throw new FormatException($"'fields' must be a list of data keys, not {OptionValues.Describe(other)}"),
            };
            var approximate = !named.TryGetValue("approximate", out var approx) || approx is null || OptionValues.ToBool(approx, "approximate");
            return new RedisTarget(command, keyText, maxLen, approximate, ttl, field, fields);
        }

        return Descriptor.Items(descriptor) is [string { Length: > 0 } channel]
            ? new RedisTarget(RedisCommand.Publish, channel, null, true, null, "{topic}", null)
            : throw new FormatException("the target must be ['channel'] or a dict with 'command' and 'key'");
    }
}
