using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>The stage kinds a plugin class implements (one class may implement several).</summary>
[Flags]
public enum PluginKinds
{
    None = 0,
    Sink = 1,
    Filter = 2,
    Transform = 4,
    Analytics = 8,
    Source = 16,
    ScheduledJob = 32,
}

/// <summary>Maps a plugin type to its <see cref="PluginKinds"/>.</summary>
public static class PluginKindsOf
{
    public static PluginKinds Type(Type type) =>
        (typeof(ISink).IsAssignableFrom(type) ? PluginKinds.Sink : 0)
        | (typeof(IMessageFilter).IsAssignableFrom(type) ? PluginKinds.Filter : 0)
        | (typeof(IMessageTransform).IsAssignableFrom(type) ? PluginKinds.Transform : 0)
        | (typeof(IAnalytics).IsAssignableFrom(type) ? PluginKinds.Analytics : 0)
        | (typeof(IMessageSource).IsAssignableFrom(type) ? PluginKinds.Source : 0)
        | (typeof(IScheduledJob).IsAssignableFrom(type) ? PluginKinds.ScheduledJob : 0);

    /// <summary>Lower-case names for output: <c>sink, filter</c>.</summary>
    public static string Describe(PluginKinds kinds) =>
        string.Join(", ", Enum.GetValues<PluginKinds>().Where(k => k != PluginKinds.None && kinds.HasFlag(k)).Select(k => k switch
        {
            PluginKinds.ScheduledJob => "scheduled job",
            _ => k.ToString().ToLowerInvariant(),
        }));
}
