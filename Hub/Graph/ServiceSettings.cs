using Hub.Config;
using Hub.Config.Values;

namespace Hub.Graph;

/// <summary>Hub keys read from a <c>[config:NAME]</c> section for the host itself (the plugin sees them too).</summary>
internal static class ServiceSettings
{
    /// <summary><c>plugin_timeout = SECONDS</c> in <c>[config:NAME]</c>, else <c>[defaults] plugin_timeout</c>.</summary>
    public static TimeSpan Timeout(ServiceConfig service, DefaultsOptions defaults) =>
        TimeSpan.FromSeconds(Seconds(service, "plugin_timeout") ?? defaults.PluginTimeout);

    /// <summary><c>interval = SECONDS</c>: the fixed delay between two runs of a scheduled job (default 60).</summary>
    public static TimeSpan Interval(ServiceConfig service) => TimeSpan.FromSeconds(Seconds(service, "interval") ?? 60);

    /// <summary>Problems with the keys above, as configuration diagnostics.</summary>
    public static IEnumerable<ConfigDiagnostic> Check(ServiceConfig service)
    {
        foreach (var key in new[] { "plugin_timeout", "interval" })
        {
            if (service.Options.TryGetValue(key, out var value) && (!ConfigValues.TryToDouble(value, out var seconds) || !(seconds > 0)))
            {
                yield return new ConfigDiagnostic(service.LocationOf(key), $"[config:{service.Name}]: {key} must be a positive number of seconds, not '{value}'");
            }
        }
    }

    private static double? Seconds(ServiceConfig service, string key) =>
        service.Options.TryGetValue(key, out var value) && ConfigValues.TryToDouble(value, out var seconds) && seconds > 0 ? seconds : null;
}
