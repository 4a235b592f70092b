namespace Hub.Delivery;

/// <summary>
/// Which journal sequence numbers are done, in memory proportional to the gaps, not the items: every number below
/// <see cref="Below"/> is done, and above it a few sorted ranges (items done out of order: a failover, a dead letter
/// taken from the middle). Items complete nearly in order, so this stays a handful of ranges for any backlog size.
/// </summary>
internal sealed class JournalDoneSet(long below)
{
    private readonly List<(long First, long Last)> _ranges = [];

    /// <summary>Every sequence number below this one is done: the oldest item that may still be pending.</summary>
    public long Below { get; private set; } = below;

    public int RangeCount => _ranges.Count;

    public bool Contains(long sequence)
    {
        if (sequence < Below)
        {
            return true;
        }

        var at = Find(sequence);
        return at >= 0 && _ranges[at].First <= sequence && sequence <= _ranges[at].Last;
    }

    /// <summary>The smallest number at or after <paramref name="sequence"/> that is not done.</summary>
    public long SkipDone(long sequence)
    {
        if (sequence < Below)
        {
            sequence = Below;
        }

        var at = Find(sequence);
        return at >= 0 && _ranges[at].First <= sequence && sequence <= _ranges[at].Last ? _ranges[at].Last + 1 : sequence;
    }

    /// <summary>Marks <paramref name="first"/>..<paramref name="last"/> done (merging with neighbours).</summary>
    public void Add(long first, long last)
    {
        if (last < Below)
        {
            return;
        }

        first = Math.Max(first, Below);
        if (first == Below)
        {
            Below = last + 1;
            while (_ranges.Count > 0 && _ranges[0].First <= Below)
            {
                Below = Math.Max(Below, _ranges[0].Last + 1);
                _ranges.RemoveAt(0);
            }

            return;
        }

        // The ranges overlapping or touching first..last merge into one.
        var start = Find(first - 1);
        start = start >= 0 && _ranges[start].Last >= first - 1 ? start : start + 1;
        var end = start;
        while (end < _ranges.Count && _ranges[end].First <= last + 1)
        {
            first = Math.Min(first, _ranges[end].First);
            last = Math.Max(last, _ranges[end].Last);
            end++;
        }

        _ranges.RemoveRange(start, end - start);
        _ranges.Insert(start, (first, last));
    }

    /// <summary>The index of the last range starting at or before <paramref name="sequence"/> (-1: none).</summary>
    private int Find(long sequence)
    {
        int low = 0, high = _ranges.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (_ranges[middle].First <= sequence)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
