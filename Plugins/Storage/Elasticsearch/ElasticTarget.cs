using System.Globalization;
using System.Text;
using Hub.Plugins.Common;

namespace Hub.Plugins.Storage;

/// <summary>
/// One <c>elasticsearch</c> target: <c>['index-pattern']</c> or <c>{'index': 'hub-%Y.%m.%d', 'id': '{device}-{seq}', 'op_type': 'create'}</c>.
/// The index may use data keys (<c>{device}</c>) and the arrival date in UTC (<c>%Y %m %d %H</c>, <c>%%</c> for a percent sign).
/// </summary>
public sealed record ElasticTarget(string Index, string? Id, string OpType)
{
    private static readonly string[] Keys = ["index", "id", "op_type"];

    public static ElasticTarget From(object? descriptor)
    {
        if (Descriptor.Named(descriptor) is { } named)
        {
            foreach (var key in named.Keys.Where(k => !Keys.Contains(k, StringComparer.Ordinal)))
            {
                throw new FormatException($"unknown key '{key}' (known: {string.Join(", ", Keys)})");
            }

            var index = named.GetValueOrDefault("index") as string ?? throw new FormatException("the target needs an 'index'");
            var id = named.GetValueOrDefault("id") switch
            {
                null => null,
                string { Length: > 0 } text => text,
                var other => throw new FormatException($"'id' must be text, not {OptionValues.Describe(other)}"),
            };
            var op = named.GetValueOrDefault("op_type") as string ?? "index";
            if (op is not ("index" or "create"))
            {
                throw new FormatException($"'op_type' must be index or create, not '{op}'");
            }

            return Checked(new ElasticTarget(index, id, op));
        }

        return Descriptor.Items(descriptor) is [string pattern]
            ? Checked(new ElasticTarget(pattern, null, "index"))
            : throw new FormatException("the target must be ['index'] or a dict with 'index', 'id', 'op_type'");
    }

    /// <summary>The index for a message that arrived at <paramref name="time"/>: date codes replaced, lower case (Elasticsearch's rule).</summary>
    public static string DatePattern(string index, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (!index.Contains('%', StringComparison.Ordinal))
        {
            return index.ToLowerInvariant();
        }

        var name = new StringBuilder(index.Length + 8);
        for (var i = 0; i < index.Length; i++)
        {
            if (index[i] != '%')
            {
                name.Append(index[i]);
                continue;
            }

            name.Append(index[++i] switch
            {
                'Y' => time.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => time.UtcDateTime.ToString("MM", CultureInfo.InvariantCulture),
                'd' => time.UtcDateTime.ToString("dd", CultureInfo.InvariantCulture),
                'H' => time.UtcDateTime.ToString("HH", CultureInfo.InvariantCulture),
                '%' => "%",
                var c => throw new FormatException($"unknown date code '%{c}' in the index (known: %Y %m %d %H %%)"),
            });
        }

        return name.ToString().ToLowerInvariant();
    }

    private static ElasticTarget Checked(ElasticTarget target)
    {
        if (string.IsNullOrWhiteSpace(target.Index) || target.Index.EndsWith('%'))
        {
            throw new FormatException("the index must not be empty or end with '%'");
        }

        DatePattern(target.Index, DateTimeOffset.UnixEpoch);
        if (target.Index.IndexOfAny(['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#']) >= 0)
        {
            throw new FormatException($"the index '{target.Index}' has a character Elasticsearch does not allow in index names (\\ / * ? \" < > | space , #)");
        }

        return target;
    }
}
