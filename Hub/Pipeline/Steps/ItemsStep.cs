namespace Hub.Pipeline;

/// <summary>One delivery item per target of each reference (per-target format and title overrides, empty messages suppressed).</summary>
internal sealed class ItemsStep : IRouteStep
{
    public string Name => "items";

    public bool IsBuiltIn => true;

    public ValueTask<StepResult> RunAsync(RouteContext context)
    {
        var references = context.Outcome.References;
        for (var i = 0; i < references.Count; i++) // by index: a foreach over the list interface allocates an enumerator per message
        {
            context.Router.AddItems(context, references[i]);
        }

        return ValueTask.FromResult(StepResult.Continue);
    }
}
