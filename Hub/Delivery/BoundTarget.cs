using Hub.Config;
using Hub.Plugins;

namespace Hub.Delivery;

/// <summary>
/// One target of a launched service, bound once when the graph is built: its service and descriptor, the typed target
/// the plugin's <see cref="ITargetBinder"/> made of the descriptor (handed to the sink on every item), its delivery
/// policy, the plugin call timeout, the sink that delivers to it (null when the service's plugin is not a sink) and its
/// own failover chain resolved to targets.
/// </summary>
public sealed class BoundTarget
{
    public required ServiceConfig Service { get; init; }

    public required ServiceTarget Target { get; init; }

    public required DeliveryPolicy Policy { get; init; }

    /// <summary><c>plugin_timeout</c> of the service, else of <c>[defaults]</c>.</summary>
    public required TimeSpan Timeout { get; init; }

    public ISink? Sink { get; init; }

    /// <summary>What the sink's <see cref="ITargetBinder"/> bound the descriptor to (<see cref="DeliveryItem.Bound"/>); null without a binder.</summary>
    public object? Bound { get; init; }

    /// <summary>
    /// The target's own <c>failover</c> chain, each link resolved to the targets it names (set by the graph builder once
    /// every target is bound, since links point at other targets).
    /// </summary>
    public IReadOnlyList<FailoverLink> Failover { get; internal set; } = [];

    /// <summary><c>SERVICE:TARGET</c>, or <c>SERVICE</c> for the unnamed target.</summary>
    public string DisplayName => Target.Name is null ? Service.Name : $"{Service.Name}:{Target.Name}";

    public (string Service, string? Target) Key => (Service.Name, Target.Name);

    /// <summary>
    /// <paramref name="item"/> addressed to this target (a failover hop, a journaled or dead-lettered item delivered
    /// again): its descriptor, bound target and options as configured now, the rendered message unchanged.
    /// </summary>
    public DeliveryItem Readdress(DeliveryItem item) => ItemJson.Bind(item, Service, Target, Bound);
}
