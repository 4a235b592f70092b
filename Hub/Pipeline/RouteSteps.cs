using Hub.Config;
using Hub.Functions;
using Hub.PluginHost;

namespace Hub.Pipeline;

/// <summary>
/// Composes the step list of one route: the section's filter function, the data (decode and transform), its plugin
/// stages in order, the targets, the rendering and the items. Steps a section does not use are left out, so a plain
/// route pays for none of them.
/// </summary>
internal static class RouteSteps
{
    public static IReadOnlyList<IRouteStep> Compose(MessageRouter router, TopicSection section, SectionHooks? hooks, StageRunner? stages)
    {
        var steps = new List<IRouteStep>();
        if (hooks?.Filter is { } filter)
        {
            steps.Add(new FilterStep(router, hooks, filter));
        }

        steps.Add(new DataStep(router, hooks));
        if (stages is not null)
        {
            steps.AddRange(stages.StagesOf(section).Select(stage => new PluginStageStep(stages, stage)));
        }

        steps.Add(new TargetsStep(router, section, hooks));
        steps.Add(new FormatStep(router, hooks));
        steps.Add(new ItemsStep(router));
        return steps;
    }
}
