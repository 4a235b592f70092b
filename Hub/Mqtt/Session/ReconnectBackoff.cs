namespace Hub.Mqtt.Session;

/// <summary>Exponential backoff with jitter: min, 2×min, 4×min … capped at max; reset after a successful connect.</summary>
internal sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, Func<double>? random = null)
{
    private readonly TimeSpan _min = min;
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;
    private TimeSpan _next = min;

    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, current.Ticks * 2));

        // Up to 20% less, so many clients restarted together do not reconnect in lockstep.
        var jittered = current * (1 - (0.2 * _random()));
        return jittered < _min ? _min : jittered;
    }

    public void Reset() => _next = _min;
}
