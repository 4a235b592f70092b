using Hub.Functions;

namespace Hub.Config;

/// <summary>
/// Every user function and template of a configuration, bound to the hooks that name them
/// (by <c>FunctionBinder</c> in Hub/PluginHost). Sections without functions have no entry, so routing them costs
/// one dictionary miss.
/// </summary>
public sealed class FunctionTable
{
    internal FunctionTable(IReadOnlyDictionary<TopicSection, SectionHooks> sections, IReadOnlyList<CronJob> cron, FunctionServices services, TimeSpan timeout)
    {
        Sections = sections;
        Cron = cron;
        Services = services;
        Timeout = timeout;
    }

    /// <summary>No functions, no templates.</summary>
    public static FunctionTable Empty { get; } = new(new Dictionary<TopicSection, SectionHooks>(), [], new FunctionServices(null), TimeSpan.FromSeconds(10));

    /// <summary>How long one call may take (<c>plugin_timeout</c>) before it counts as failed.</summary>
    public TimeSpan Timeout { get; }

    internal IReadOnlyDictionary<TopicSection, SectionHooks> Sections { get; }

    internal IReadOnlyList<CronJob> Cron { get; }

    internal FunctionServices Services { get; }

    /// <summary>Connects <see cref="HookContext.SendToTargets"/> (section, topic, payload) to routing and delivery.</summary>
    public void UseDelivery(Action<string, string, string> sendToTargets) => Services.UseDelivery(sendToTargets);
}
