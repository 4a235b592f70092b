using Hub.Config;
using Hub.Functions;

namespace Hub.Pipeline;

/// <summary>The references the message goes to (a list, the dispatcher's winning key, or a <c>targets</c> function); none ends the route.</summary>
internal sealed class TargetsStep(TopicSection section, SectionHooks? hooks) : IRouteStep
{
    public string Name => "targets";

    public bool IsBuiltIn => section.Targets is not TargetFunction;

    public async ValueTask<StepResult> RunAsync(RouteContext context)
    {
        var references = await context.Router.ResolveReferencesAsync(context, hooks).ConfigureAwait(false);
        context.Outcome.References = references;
        return references.Count == 0 ? StepResult.Stop : StepResult.Continue;
    }
}
