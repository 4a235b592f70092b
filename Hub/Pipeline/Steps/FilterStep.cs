using Hub.Functions;

namespace Hub.Pipeline;

/// <summary>The section's <c>filter</c> user function: a message it suppresses ends the route (the outcome is marked filtered).</summary>
internal sealed class FilterStep(SectionHooks hooks, BoundFunction filter) : IRouteStep
{
    public string Name => $"filter {filter.Name}()";

    public bool IsBuiltIn => false;

    public async ValueTask<StepResult> RunAsync(RouteContext context)
    {
        if (!context.ApplyFilter || !await context.Router.IsFilteredAsync(hooks, filter, context.Section, context.Topic, context.Payload).ConfigureAwait(false))
        {
            return StepResult.Continue;
        }

        context.Outcome.Filtered = true;
        return StepResult.Stop;
    }
}
