namespace Hub.Broker.Security;

/// <summary>
/// How two topic filters relate, for checking a SUBSCRIBE against ACL rules: whether some topic matches both
/// (<see cref="Intersect"/>), and whether one filter matches every topic the other does (<see cref="Covers"/>).
/// Both follow MQTT matching: <c>+</c> is one level, <c>#</c> the rest including the parent level, and a filter whose
/// first level is a wildcard matches no topic starting with <c>$</c>.
/// </summary>
internal static class FilterRelations
{
    /// <summary>True when at least one topic matches both filters.</summary>
    public static bool Intersect(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        if (DollarMismatch(x[0], y[0]) || DollarMismatch(y[0], x[0]))
        {
            return false;
        }

        for (var i = 0; ; i++)
        {
            var xEnded = i >= x.Length;
            var yEnded = i >= y.Length;
            if (xEnded || yEnded)
            {
                // Both ended: the same depth. One ended: the other may still match the parent level with a final "#".
                return (xEnded && yEnded) || (xEnded ? IsFinalHash(y, i) : IsFinalHash(x, i));
            }

            if (x[i] == "#" || y[i] == "#")
            {
                return true;
            }

            if (x[i] != "+" && y[i] != "+" && x[i] != y[i])
            {
                return false;
            }
        }
    }

    /// <summary>True when every topic that <paramref name="inner"/> matches is matched by <paramref name="outer"/> as well.</summary>
    public static bool Covers(string outer, string inner)
    {
        var o = outer.Split('/');
        var n = inner.Split('/');

        // An outer filter starting with a wildcard matches no '$' topic, so it cannot cover a filter that names one.
        if (o[0] is "+" or "#" && n[0].StartsWith('$'))
        {
            return false;
        }

        for (var i = 0; ; i++)
        {
            if (i >= o.Length)
            {
                return i >= n.Length;
            }

            if (o[i] == "#")
            {
                return true;
            }

            if (i >= n.Length)
            {
                // "a/#" matches "a" too; nothing else matches a topic that ended here.
                return IsFinalHash(o, i);
            }

            if (n[i] == "#")
            {
                // The inner filter reaches any depth from here, which only an outer "#" (handled above) covers.
                return false;
            }

            if (o[i] != "+" && o[i] != n[i])
            {
                return false;
            }
        }
    }

    private static bool IsFinalHash(string[] levels, int index) => index == levels.Length - 1 && levels[index] == "#";

    /// <summary>A wildcard first level never meets a '$' topic, which only a literal first level can name.</summary>
    private static bool DollarMismatch(string first, string other) => first is "+" or "#" && other.StartsWith('$');
}
