using Hub.Config;
using Hub.Delivery;
using Hub.Plugins;

namespace Hub.Graph;

/// <summary>
/// One target of a launched service, bound once at start-up: its service and descriptor (checked by the plugin's
/// validator), its delivery policy, the plugin call timeout, the sink that delivers to it (null when the service's
/// plugin is not a sink) and its own failover chain resolved to targets.
/// </summary>
internal sealed class BoundTarget
{
    public required ServiceConfig Service { get; init; }

    public required ServiceTarget Target { get; init; }

    public required DeliveryPolicy Policy { get; init; }

    /// <summary><c>plugin_timeout</c> of the service, else of <c>[defaults]</c>.</summary>
    public required TimeSpan Timeout { get; init; }

    public ISink? Sink { get; init; }

    /// <summary><c>SERVICE:TARGET</c>, or <c>SERVICE</c> for the unnamed target.</summary>
    public string DisplayName => Target.Name is null ? Service.Name : $"{Service.Name}:{Target.Name}";

    public (string Service, string? Target) Key => (Service.Name, Target.Name);
}
