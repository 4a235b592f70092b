namespace Hub.Tests.Support;

/// <summary>
/// One place where a source file of <c>Hub/</c> names another top-level folder's namespace:
/// <paramref name="From"/> and <paramref name="To"/> are folder names (<c>Config</c>, <c>Mqtt</c>),
/// <paramref name="File"/> is relative to <c>Hub/</c>, <paramref name="Text"/> the reference as written.
/// </summary>
public sealed record FolderReference(string From, string To, string File, int Line, string Text)
{
    public override string ToString() => $"Hub/{File}:{Line}: {From} -> {To} ({Text})";
}
