using Hub.Analytics;

namespace Hub.Config;

/// <summary>A <c>[rule:NAME]</c> section: the rule's options and, as a topic section's, its <c>targets</c>.</summary>
internal sealed class RuleSection
{
    public required RuleOptions Options { get; init; }

    /// <summary>Where the rule's notifications go (as a topic section's <c>targets</c>); null when it only publishes its alarms.</summary>
    public TargetSpec? Targets { get; init; }

    /// <summary>
    /// The rule's <c>targets</c> as a route (section <c>rule:NAME</c>, the rule's topic): checked and bound to targets
    /// like a topic section's, so notifications go through the normal delivery. Null without targets.
    /// </summary>
    public TopicSection? Route { get; init; }
}
