using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>
/// One <c>influxdb</c> target: mqttwarn's list <c>[measurement, database?, rp?, precision?]</c> (the
/// message is the point, see the README), or a dict that takes the point from the data:
/// <c>{'measurement': '{device}', 'tags': ['room'], 'fields': ['temperature'] or '*', 'time': 'ts', …}</c>.
/// </summary>
public sealed record InfluxTarget(
    string Measurement,
    string? Database,
    string Rp,
    string Precision,
    string? Org,
    IReadOnlyList<string> Tags,
    IReadOnlyList<string>? Fields,
    string? TimeKey,
    bool TopicTag)
{
    private static readonly string[] Keys = ["measurement", "database", "bucket", "org", "rp", "precision", "tags", "fields", "time", "topic_tag"];

    /// <summary>True when the fields come from the data (<c>'fields'</c> given); false for mqttwarn's message-as-point.</summary>
    public bool FromData => Fields is not null;

    /// <summary>Every numeric field of the data (<c>'fields': '*'</c>).</summary>
    public bool AllNumbers => Fields is ["*"];

    public static InfluxTarget From(InfluxOptions options, object? descriptor)
    {
        ArgumentNullException.ThrowIfNull(options);
        var database = options.IsV2 ? options.Bucket : options.Database;
        if (Descriptor.Named(descriptor) is { } named)
        {
            foreach (var key in named.Keys.Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
            {
                throw new FormatException($"unknown key '{key}' (known: {string.Join(", ", Keys)})");
            }

            var measurement = Text(named, "measurement") ?? throw new FormatException("the target needs a 'measurement'");
            var precision = Text(named, "precision") ?? options.Precision;
            Check(precision, options.IsV2);
            return new InfluxTarget(
                measurement,
                Text(named, options.IsV2 ? "bucket" : "database") ?? Text(named, "database") ?? Text(named, "bucket") ?? database,
                Text(named, "rp") ?? options.Rp,
                precision,
                Text(named, "org") ?? options.Org,
                Names(named, "tags") ?? [],
                named.TryGetValue("fields", out var fields) && fields is "*" ? ["*"] : Names(named, "fields"),
                Text(named, "time"),
                named.TryGetValue("topic_tag", out var topicTag) && topicTag is not null ? OptionValues.ToBool(topicTag, "topic_tag") : options.TopicTag).Checked(options);
        }

        if (descriptor is not IReadOnlyList<object?> list || list.Count is < 1 or > 4 || list[0] is not string { Length: > 0 } first)
        {
            throw new FormatException("the target must be ['measurement', 'database'?, 'rp'?, 'precision'?] or a dict with 'measurement'");
        }

        foreach (var item in list.Skip(1).Where(i => i is not (null or string)))
        {
            throw new FormatException($"the target's items must be text, not {OptionValues.Describe(item)}");
        }

        // mqttwarn: an empty or None item keeps the service's value.
        var listPrecision = At(list, 3) ?? options.Precision;
        Check(listPrecision, options.IsV2);
        return new InfluxTarget(first, At(list, 1) ?? database, At(list, 2) ?? options.Rp, listPrecision, options.Org, [], null, null, options.TopicTag).Checked(options);
    }

    private InfluxTarget Checked(InfluxOptions options)
    {
        if (string.IsNullOrEmpty(Database))
        {
            throw new FormatException(options.IsV2 ? "no bucket: set 'bucket' on the service or the target" : "no database: set 'database' on the service or the target");
        }

        if (Fields is { Count: 0 })
        {
            throw new FormatException("'fields' must name at least one data key, or be '*'");
        }

        return this;
    }

    private static void Check(string precision, bool v2)
    {
        if (LineProtocol.PrecisionProblem(precision, v2) is { } problem)
        {
            throw new FormatException(problem);
        }
    }

    private static string? At(IReadOnlyList<object?> list, int index) => list.Count > index && list[index] is string { Length: > 0 } s ? s : null;

    private static string? Text(IReadOnlyDictionary<string, object?> named, string key) => named.TryGetValue(key, out var value) switch
    {
        false => null,
        true when value is null => null,
        true when value is string { Length: > 0 } s => s,
        _ => throw new FormatException($"'{key}' must be text, not {OptionValues.Describe(value)}"),
    };

    private static IReadOnlyList<string>? Names(IReadOnlyDictionary<string, object?> named, string key) => named.TryGetValue(key, out var value) switch
    {
        false => null,
        true when value is null => null,
        true when value is string s => [.. s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
        true when value is IReadOnlyList<object?> list && list.All(i => i is string { Length: > 0 }) => [.. list.Cast<string>()],
        _ => throw new FormatException($"'{key}' must be a list of data keys, not {OptionValues.Describe(value)}"),
    };
}
