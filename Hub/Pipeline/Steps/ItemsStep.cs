namespace Hub.Pipeline;

/// <summary>One delivery item per target of each reference (per-target format and title overrides, empty messages suppressed).</summary>
internal sealed class ItemsStep : IRouteStep
{
    public string Name => "items";

    public bool IsBuiltIn => true;

    public ValueTask<StepResult> RunAsync(RouteContext context)
    {
        foreach (var reference in context.Outcome.References)
        {
            context.Router.AddItems(context, reference);
        }

        return ValueTask.FromResult(StepResult.Continue);
    }
}
