namespace Hub.Pipeline;

/// <summary>
/// Which route a topic takes, as the route workers need it: a hash of the topic sections it matches (by name, so it stays
/// the same across a reload that keeps them), and whether all their steps are built-in (<see cref="IRouteStep.IsBuiltIn"/>).
/// </summary>
internal readonly record struct RouteKey(uint Hash, bool BuiltInOnly)
{
    /// <summary>FNV-1a of the text: the same in every process (a string's own hash code is not), so a route's worker is too.</summary>
    public static uint Of(string text) => Add(2166136261, text);

    /// <summary>Adds <paramref name="text"/> to a running FNV-1a hash.</summary>
    public static uint Add(uint hash, string text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}
