namespace Hub.Config.Values;

/// <summary>
/// The hub's quote stripping for topic sections, <c>[failover]</c> and <c>[cron]</c>: <c>'{name}'</c> is
/// <c>{name}</c> (mqttwarn keeps the quotes and prints them). No escape processing.
/// </summary>
internal static class QuoteStripping
{
    public static string Strip(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length < 2 || trimmed[0] is not ('\'' or '"') || trimmed[^1] != trimmed[0])
        {
            return value;
        }

        var inner = trimmed[1..^1];
        // "'a' and 'b'" is not one quoted value.
        return inner.Contains(trimmed[0], StringComparison.Ordinal) ? value : inner;
    }
}
