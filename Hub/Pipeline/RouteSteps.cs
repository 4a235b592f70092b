using Hub.Config;
using Hub.Functions;
using Hub.PluginHost;

namespace Hub.Pipeline;

/// <summary>
/// Composes the step list of one route: the section's filter function, the data (decode and transform), its plugin
/// stages in order, the steps of any further kinds (<see cref="IRouteStepKind"/>), the targets, the rendering and the
/// items. Steps a section does not use are left out, so a plain route pays for none of them. The graph builder composes
/// every route once per generation; the router only runs the lists.
/// </summary>
internal static class RouteSteps
{
    public static IReadOnlyList<IRouteStep> Compose(TopicSection section, SectionHooks? hooks, StageRunner? stages, IReadOnlyList<IRouteStepKind>? kinds = null)
    {
        var steps = new List<IRouteStep>();
        if (hooks?.Filter is { } filter)
        {
            steps.Add(new FilterStep(hooks, filter));
        }

        steps.Add(new DataStep(hooks));
        if (stages is not null)
        {
            steps.AddRange(stages.StagesOf(section).Select(stage => new PluginStageStep(stages, stage)));
        }

        foreach (var kind in kinds ?? [])
        {
            if (kind.For(section) is { } step)
            {
                steps.Add(step);
            }
        }

        steps.Add(new TargetsStep(section, hooks));
        steps.Add(new FormatStep(hooks));
        steps.Add(new ItemsStep());
        return steps;
    }

    /// <summary>The step lists of every topic section, of <c>[failover]</c> and of the rules' routes (their alarm notifications), by section.</summary>
    public static Dictionary<TopicSection, IReadOnlyList<IRouteStep>> ComposeAll(HubConfig config, StageRunner? stages, IReadOnlyList<IRouteStepKind>? kinds = null) =>
        config.Sections.Append(config.Failover).Concat(config.Rules.Select(r => r.Route)).OfType<TopicSection>()
            .ToDictionary(section => section, section => Compose(section, config.Functions.Sections.GetValueOrDefault(section), stages, kinds));
}
