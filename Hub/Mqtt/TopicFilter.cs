namespace Hub.Mqtt;

/// <summary>
/// MQTT topic filters, for the router, the broker (and its ACLs) and the MQTT client: matching (<c>+</c> one level,
/// may be empty; <c>#</c> the rest including the parent level), validity, and <c>$share/GROUP/FILTER</c>.
/// </summary>
public static class TopicFilter
{
    private const string SharePrefix = "$share/";

    public static bool Matches(string filter, string topic)
    {
        // A filter starting with a wildcard does not match topics starting with '$' (MQTT 4.7.2).
        if (topic.StartsWith('$') && (filter.StartsWith('+') || filter.StartsWith('#')))
        {
            return false;
        }

        var f = filter.AsSpan();
        var t = topic.AsSpan();
        while (true)
        {
            var fEnd = f.IndexOf('/');
            var fLevel = fEnd < 0 ? f : f[..fEnd];
            if (fLevel is "#")
            {
                return true;
            }

            var tEnd = t.IndexOf('/');
            var tLevel = tEnd < 0 ? t : t[..tEnd];
            if (fLevel is not "+" && !fLevel.SequenceEqual(tLevel))
            {
                return false;
            }

            if (fEnd < 0 || tEnd < 0)
            {
                if (fEnd < 0 && tEnd < 0)
                {
                    return true;
                }

                // "a/#" matches "a": the filter has exactly "/#" left and the topic is exhausted.
                return tEnd < 0 && f[(fEnd + 1)..] is "#";
            }

            f = f[(fEnd + 1)..];
            t = t[(tEnd + 1)..];
        }
    }

    /// <summary>True when <paramref name="filter"/> is a valid subscription filter; allocates nothing.</summary>
    public static bool IsValid(string filter) => Check(filter) == TopicFilterError.None;

    /// <summary>True when <paramref name="filter"/> is a valid subscription filter; otherwise <paramref name="reason"/> says which rule it breaks.</summary>
    public static bool IsValid(string filter, out string? reason)
    {
        reason = Check(filter) switch
        {
            TopicFilterError.None => null,
            TopicFilterError.Empty => "a topic filter must not be empty",
            TopicFilterError.NullCharacter => "a topic filter must not contain U+0000",
            TopicFilterError.MisplacedHash => "'#' must be the last level, alone",
            TopicFilterError.PartialPlus => "'+' must occupy a whole level",
            var other => throw new ArgumentOutOfRangeException(nameof(filter), other, "unknown topic filter error"),
        };
        return reason is null;
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

    /// <summary>The first rule <paramref name="filter"/> breaks: empty, then U+0000, then the wildcard rules of <see cref="CheckLevels"/>.</summary>
    internal static TopicFilterError Check(string filter) =>
        filter.Length == 0 ? TopicFilterError.Empty
        : filter.Contains('\0', StringComparison.Ordinal) ? TopicFilterError.NullCharacter
        : CheckLevels(filter);

    /// <summary>The wildcard rules alone, level by level, first offence wins: <c>#</c> last and alone in its level, <c>+</c> alone in its level.</summary>
    internal static TopicFilterError CheckLevels(ReadOnlySpan<char> filter)
    {
        var start = 0;
        for (var i = 0; i <= filter.Length; i++)
        {
            if (i < filter.Length && filter[i] != '/')
            {
                continue;
            }

            var level = filter[start..i];
            if (level.Contains('#') && (level.Length != 1 || i != filter.Length))
            {
                return TopicFilterError.MisplacedHash;
            }

            if (level.Contains('+') && level.Length != 1)
            {
                return TopicFilterError.PartialPlus;
            }

            start = i + 1;
        }

        return TopicFilterError.None;
    }
}
