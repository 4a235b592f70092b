using Hub.PluginHost;

namespace Hub.Pipeline;

/// <summary>One plugin stage of the route (<c>stages =</c>): a filter plugin answering false ends the route.</summary>
internal sealed class PluginStageStep(StageRunner runner, StageRunner.Stage stage) : IRouteStep
{
    public string Name => $"stage {stage.Name}";

    public bool IsBuiltIn => false;

    public async ValueTask<StepResult> RunAsync(RouteContext context)
    {
        if (await runner.RunAsync(stage, context.Section, context.Topic, context.Payload, retained: false, context.Data.Value).ConfigureAwait(false))
        {
            return StepResult.Continue;
        }

        context.Outcome.Notes.Add("dropped by a filter stage");
        return StepResult.Stop;
    }
}
