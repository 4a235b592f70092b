namespace Hub.Routing;

/// <summary>MQTT topic-filter matching: <c>+</c> one level (may be empty), <c>#</c> the rest including the parent level.</summary>
public static class TopicFilter
{
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

    /// <summary>True when <paramref name="filter"/> is a valid subscription filter.</summary>
    public static bool IsValid(string filter, out string? reason)
    {
        reason = null;
        if (filter.Length == 0)
        {
            reason = "a topic filter must not be empty";
            return false;
        }

        if (filter.Contains('\0'))
        {
            reason = "a topic filter must not contain U+0000";
            return false;
        }

        var levels = filter.Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            var level = levels[i];
            if (level.Contains('#') && (level != "#" || i != levels.Length - 1))
            {
                reason = "'#' must be the last level, alone";
                return false;
            }

            if (level.Contains('+') && level != "+")
            {
                reason = "'+' must occupy a whole level";
                return false;
            }
        }

        return true;
    }
}
