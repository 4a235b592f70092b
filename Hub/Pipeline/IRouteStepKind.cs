using Hub.Config;

namespace Hub.Pipeline;

/// <summary>
/// A kind of step the graph adds to routes besides the built-in ones (an analytics or storage step): asked once per
/// topic section when the graph is built, it answers the step for that route, or null where it has none. Its step runs
/// after the route's plugin stages and before its targets are resolved. Adding a kind is a change to the graph's
/// environment (<c>GraphEnvironment.StepKinds</c>), never to the router, which only runs the lists the graph holds.
/// </summary>
internal interface IRouteStepKind
{
    IRouteStep? For(TopicSection section);
}
