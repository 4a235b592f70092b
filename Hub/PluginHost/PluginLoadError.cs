namespace Hub.PluginHost;

/// <summary>A plugin assembly that could not be loaded, with its path and the reason.</summary>
public sealed record PluginLoadError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}
