using Hub.Functions;

namespace Hub.Pipeline;

/// <summary>Renders title, message, priority and image once for the route (format strings, functions, the template).</summary>
internal sealed class FormatStep(SectionHooks? hooks) : IRouteStep
{
    public string Name => "format";

    public bool IsBuiltIn => hooks is null || (hooks.Format is null && hooks.Title is null && hooks.Image is null && hooks.Priority is null);

    public async ValueTask<StepResult> RunAsync(RouteContext context)
    {
        await context.Router.RenderAsync(context, hooks).ConfigureAwait(false);
        return StepResult.Continue;
    }
}
