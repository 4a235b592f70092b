using Hub.Config;

namespace Hub.Graph;

/// <summary>
/// One topic section as a route of the graph: its validated subscription filter, the plugin stages it runs (in
/// order, after decode, filter and transform) and the targets its static references name, resolved.
/// Templated references (<c>log:{level}</c>) and function targets resolve per message.
/// </summary>
internal sealed record GraphRoute(TopicSection Section, string Filter, IReadOnlyList<string> Stages, IReadOnlyList<BoundTarget> Targets)
{
    /// <summary>The route's own <c>failover</c>, resolved (it wins over the targets' own chains).</summary>
    public IReadOnlyList<FailoverLink> Failover { get; init; } = [];
}
