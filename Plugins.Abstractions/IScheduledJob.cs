namespace Hub.Plugins;

/// <summary>
/// A scheduled job (offline analytics, reports, pollers): the host runs it on the schedule of its
/// <c>[config:NAME]</c> section; runs never overlap; an exception is logged and the schedule goes on.
/// </summary>
public interface IScheduledJob
{
    /// <summary>One run.</summary>
    ValueTask ExecuteAsync(CancellationToken cancellationToken);
}
