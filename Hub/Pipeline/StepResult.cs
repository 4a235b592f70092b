namespace Hub.Pipeline;

/// <summary>What a route step tells the route: go on with the next step, or stop here (the outcome says why).</summary>
internal enum StepResult
{
    Continue,
    Stop,
}
