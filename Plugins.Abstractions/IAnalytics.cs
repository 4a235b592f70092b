namespace Hub.Plugins;

/// <summary>
/// An analytics stage: observes every message of its routes, keeps state (rolling statistics,
/// baselines), and may emit derived messages (alarms, KPIs) with <see cref="IPluginContext.Publisher"/>;
/// those go back to the broker, where other consumers see them and the hub routes them again.
/// </summary>
public interface IAnalytics
{
    /// <summary>Observes one message. Must not block: keep the work small, or hand it to a background task.</summary>
    ValueTask ObserveAsync(PipelineMessage message, CancellationToken cancellationToken);
}
