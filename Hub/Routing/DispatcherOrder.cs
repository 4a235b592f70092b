namespace Hub.Routing;

/// <summary>
/// mqttwarn's most-specific-wins ordering of a targets dispatcher dict: more levels first; at equal
/// levels a literal beats <c>+</c>, <c>+</c> beats <c>#</c>, and a longer literal beats its prefix.
/// </summary>
public static class DispatcherOrder
{
    public static string SortKey(string filter)
    {
        var levels = filter.Count(c => c == '/') + 1;
        return levels.ToString("000", System.Globalization.CultureInfo.InvariantCulture)
            + filter.Replace('#', '\u0001').Replace('+', '\u0002');
    }

    /// <summary>The entries sorted so that the first match is the winner.</summary>
    public static IReadOnlyList<KeyValuePair<string, T>> Sort<T>(IEnumerable<KeyValuePair<string, T>> entries) =>
        entries.OrderByDescending(e => SortKey(e.Key), StringComparer.Ordinal).ToList();
}
