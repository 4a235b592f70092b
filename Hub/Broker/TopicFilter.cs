namespace Hub.Broker;

/// <summary>Topic filter rules on the broker side: validity, <c>$share/GROUP/FILTER</c>, and matching one topic name.</summary>
internal static class TopicFilter
{
    private const string SharePrefix = "$share/";

    /// <summary>A filter is valid when <c>#</c> is last and alone in its level and <c>+</c> alone in its level.</summary>
    public static bool IsValid(string filter)
    {
        if (filter.Length == 0 || filter.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var levels = filter.AsSpan();
        var start = 0;
        for (var i = 0; i <= levels.Length; i++)
        {
            if (i < levels.Length && levels[i] != '/')
            {
                continue;
            }

            var level = levels[start..i];
            if (level.Contains('#') && (level.Length != 1 || i != levels.Length))
            {
                return false;
            }

            if (level.Contains('+') && level.Length != 1)
            {
                return false;
            }

            start = i + 1;
        }

        return true;
    }

    /// <summary>Splits <c>$share/GROUP/FILTER</c>; false when <paramref name="filter"/> is not shared. A malformed share gives an empty group.</summary>
    public static bool TrySplitShared(string filter, out string group, out string inner)
    {
        group = "";
        inner = "";
        if (!filter.StartsWith(SharePrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = filter.AsSpan(SharePrefix.Length);
        var slash = rest.IndexOf('/');
        if (slash <= 0)
        {
            return true;
        }

        var name = rest[..slash];
        if (name.IndexOfAny('+', '#') >= 0)
        {
            return true;
        }

        group = name.ToString();
        inner = rest[(slash + 1)..].ToString();
        return true;
    }

    /// <summary>True when <paramref name="topic"/> matches <paramref name="filter"/>; topics starting with <c>$</c> are not matched by a leading wildcard.</summary>
    public static bool Matches(string filter, string topic)
    {
        if (topic.Length > 0 && topic[0] == '$' && filter.Length > 0 && filter[0] is '+' or '#')
        {
            return false;
        }

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fSlash = f.IndexOf('/');
            var fLevel = fSlash < 0 ? f : f[..fSlash];
            if (fLevel is "#")
            {
                return true;
            }

            var tSlash = t.IndexOf('/');
            var tLevel = tSlash < 0 ? t : t[..tSlash];
            if (!(fLevel is "+") && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fSlash < 0 || tSlash < 0)
            {
                // "a/#" also matches "a": the filter's next level is a lone '#'.
                return fSlash < 0 && tSlash < 0 || (tSlash < 0 && f[(fSlash + 1)..] is "#");
            }

            f = f[(fSlash + 1)..];
            t = t[(tSlash + 1)..];
        }
    }
}
