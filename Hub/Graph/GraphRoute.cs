using Hub.Config;
using Hub.Delivery;
using Hub.Pipeline;

namespace Hub.Graph;

/// <summary>
/// One topic section as a route of the graph: its validated subscription filter, its ordered steps (decode, filter,
/// transform, plugin stages, added step kinds, targets, format, items: composed once per generation, run by the router),
/// the plugin stages it runs and the targets its static references name, resolved. Templated references
/// (<c>log:{level}</c>) and function targets resolve per message.
/// </summary>
internal sealed record GraphRoute(TopicSection Section, string Filter, IReadOnlyList<string> Stages, IReadOnlyList<BoundTarget> Targets)
{
    /// <summary>The route's steps, in the order the router runs them.</summary>
    public IReadOnlyList<IRouteStep> Steps { get; init; } = [];

    /// <summary>The route's own <c>failover</c>, resolved (it wins over the targets' own chains).</summary>
    public IReadOnlyList<FailoverLink> Failover { get; init; } = [];
}
