namespace Hub.Pipeline;

/// <summary>
/// One step of a route: decode, filter, transform, a plugin stage, target resolution, formatting, items. A route is a
/// list of steps composed once per topic section (<see cref="RouteSteps"/>); the router runs them in order on a
/// <see cref="RouteContext"/> until one answers <see cref="StepResult.Stop"/>. A new kind of step (analytics, storage)
/// is a new class in this list, not an edit of the router.
/// </summary>
internal interface IRouteStep
{
    /// <summary>For logs and diagnostics.</summary>
    string Name { get; }

    /// <summary>
    /// True when the step is the hub's own code and never waits (no user function, no plugin call): a route made only of
    /// such steps may run on the thread that received the message (the lone-message fast path).
    /// </summary>
    bool IsBuiltIn { get; }

    /// <summary>Does the step's work on the message; <see cref="StepResult.Stop"/> ends the route here (a filter short-circuits).</summary>
    ValueTask<StepResult> RunAsync(RouteContext context);
}
