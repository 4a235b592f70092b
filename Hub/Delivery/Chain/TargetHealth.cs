using Microsoft.Extensions.Logging;

namespace Hub.Delivery.Chain;

/// <summary>
/// Whether a target is failing, shared by its queue and its chain: failing from a failed attempt to the next success
/// (a failing target's full queue drops its oldest item instead of pausing every route), retrying from the first wait
/// for a retry to the next success (no inline delivery, no acceptance owed meanwhile), and whether the failure was
/// reported (once per episode).
/// </summary>
internal sealed class TargetHealth(string target, ILogger logger)
{
    private volatile bool _failing;
    private volatile bool _retrying;
    private int _reported;

    public bool IsFailing => _failing;
    public bool IsRetrying => _retrying;

    /// <summary>Raised when the target starts waiting for a retry (what it owes is accepted then).</summary>
    public event Action? Retrying;

    public void OnFailedAttempt() => _failing = true;

    public void OnRetrying()
    {
        _retrying = true;
        Retrying?.Invoke();
    }

    /// <summary>True the first time the target gives up on an item in this episode.</summary>
    public bool FirstGiveUp() => Interlocked.Exchange(ref _reported, 1) == 0;

    public void OnSent()
    {
        Volatile.Write(ref _reported, 0);
        _retrying = false;
        if (_failing)
        {
            _failing = false;
            logger.LogInformation("Target {Target} delivers again", target);
        }
    }
}
