using Hub.Functions;
using Hub.Routing;

namespace Hub.Pipeline;

/// <summary>
/// Decode and transform: the transformation data (time keys, the payload's JSON, MQTT 5.0 properties, and the
/// <c>datamap</c>/<c>alldata</c> functions' keys). Without functions it is built only if a later step reads it.
/// </summary>
internal sealed class DataStep(SectionHooks? hooks) : IRouteStep
{
    public string Name => "data";

    public bool IsBuiltIn => hooks?.Datamap is null && hooks?.Alldata is null;

    public async ValueTask<StepResult> RunAsync(RouteContext context)
    {
        context.Data = hooks is null
            ? new LazyData(context)
            : LazyData.Of(await context.Router.BuildDataAsync(context, hooks).ConfigureAwait(false));
        context.Outcome.Data = context.Data;
        return StepResult.Continue;
    }
}
