using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>The stage kinds a plugin type implements, in words (<c>sink, batch sink</c>), for <c>hub plugins</c> and the docs.</summary>
public static class PluginKinds
{
    private static readonly (Type Contract, string Name)[] Kinds =
    [
        (typeof(IMessageFilter), "filter"),
        (typeof(IMessageTransform), "transform"),
        (typeof(IAnalytics), "analytics"),
        (typeof(ISink), "sink"),
        (typeof(IBatchSink), "batch sink"),
        (typeof(IMessageSource), "source"),
        (typeof(IScheduledJob), "scheduled job"),
    ];

    private static readonly (Type Contract, string Name)[] Capabilities =
    [
        (typeof(ITargetValidator), "validates targets"),
        (typeof(IAsyncInitializable), "initializes"),
        (typeof(IAsyncDisposable), "disposes"),
        (typeof(IDisposable), "disposes"),
    ];

    public static IReadOnlyList<string> Of(Type pluginType) =>
        Kinds.Where(k => k.Contract.IsAssignableFrom(pluginType)).Select(k => k.Name).ToList();

    public static IReadOnlyList<string> CapabilitiesOf(Type pluginType) =>
        Capabilities.Where(k => k.Contract.IsAssignableFrom(pluginType)).Select(k => k.Name).Distinct().ToList();
}
