namespace Hub.Delivery;

/// <summary>Counts events in one-second slots over the last ten seconds, for a rate that follows changes within seconds.</summary>
internal sealed class DrainMeter
{
    private const int Slots = 10;
    private readonly long[] _second = new long[Slots];
    private readonly long[] _count = new long[Slots];
    private readonly Lock _gate = new();

    public void Add(long timestamp, TimeProvider time)
    {
        var second = Second(timestamp, time);
        var slot = (int)(second % Slots);
        lock (_gate)
        {
            if (_second[slot] != second)
            {
                _second[slot] = second;
                _count[slot] = 0;
            }

            _count[slot]++;
        }
    }

    /// <summary>Events per second over the ten whole seconds before the current one.</summary>
    public double PerSecond(long timestamp, TimeProvider time)
    {
        var now = Second(timestamp, time);
        long total = 0;
        lock (_gate)
        {
            for (var i = 0; i < Slots; i++)
            {
                if (_second[i] < now && _second[i] >= now - Slots)
                {
                    total += _count[i];
                }
            }
        }

        return total / (double)Slots;
    }

    private static long Second(long timestamp, TimeProvider time) => timestamp / time.TimestampFrequency + 1; // + 1: slot 0 means unused
}
