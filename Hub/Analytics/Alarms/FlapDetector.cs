namespace Hub.Analytics.Alarms;

/// <summary>
/// Nagios's flap detection: the last 21 evaluations of a key are kept; of the 20 places where two neighbours can
/// differ, each change counts with a weight rising linearly from 0.75 (the oldest) to 1.25 (the newest), so recent
/// changes count more; the weighted sum over 20 is the percent state change. A key starts flapping when it reaches
/// the high threshold and stops when it falls below the low one. Nothing is decided before 21 evaluations.
/// </summary>
internal static class FlapDetector
{
    public const int Window = 21;
    private const double LowWeight = 0.75;
    private const double HighWeight = 1.25;

    /// <summary>Appends <paramref name="sample"/> (a small state code) to <paramref name="history"/>, a string of at most <see cref="Window"/> codes, oldest first.</summary>
    public static string Append(string history, char sample) =>
        history.Length < Window ? history + sample : string.Concat(history.AsSpan(1), new ReadOnlySpan<char>(in sample));

    /// <summary>The weighted percent state change of a full history; 0 while it holds fewer than <see cref="Window"/> evaluations.</summary>
    public static double PercentChange(string history)
    {
        if (history.Length < Window)
        {
            return 0;
        }

        var weighted = 0.0;
        for (var x = 1; x < Window; x++)
        {
            if (history[x] != history[x - 1])
            {
                weighted += LowWeight + (x - 1) * (HighWeight - LowWeight) / (Window - 2);
            }
        }

        return weighted * 100.0 / (Window - 1);
    }

    /// <summary>Whether a key flaps after this evaluation (hysteresis between <paramref name="low"/> and <paramref name="high"/>).</summary>
    public static bool IsFlapping(bool wasFlapping, double percent, double low, double high) =>
        wasFlapping ? percent >= low : percent >= high;
}
