using System.Globalization;

namespace Hub.Analytics.Rules.Derived;

/// <summary>The names of the derived values an expression may read, their slots in a sample, and the state each needs.</summary>
internal static class DerivedNames
{
    public const int Value = 0;
    public const int Rate = 1;
    public const int Delta = 2;
    public const int Elapsed = 3;
    public const int Previous = 4;
    public const int Ewma = 5;
    public const int Mean = 6;
    public const int Min = 7;
    public const int Max = 8;
    public const int Stdev = 9;
    public const int Count = 10;
    public const int Median = 11;
    public const int Zscore = 12;
    public const int Changed = 13;
    public const int Baseline = 14;
    public const int BaselineStdev = 15;
    public const int Deviation = 16;
    public const int Anomaly = 17;
    public const int Anomalous = 18;
    public const int Threshold = 19;
    public const int RecoverThreshold = 20;
    public const int Payload = 21;

    /// <summary>The first slot after the fixed ones (percentiles and payload fields follow).</summary>
    public const int FixedCount = 22;

    public static readonly string[] Fixed =
    [
        "value", "rate", "delta", "elapsed", "previous", "ewma", "mean", "min", "max", "stdev", "count", "median", "zscore",
        "changed", "baseline", "baseline_stdev", "deviation", "anomaly", "anomalous", "threshold", "recover_threshold", "payload",
    ];

    private static readonly Dictionary<string, int> Slots = Fixed.Select((name, slot) => (name, slot)).ToDictionary(p => p.name, p => p.slot, StringComparer.Ordinal);

    /// <summary>The fixed slot of <paramref name="name"/>, or -1 (a percentile or a payload field).</summary>
    public static int SlotOf(string name) => Slots.GetValueOrDefault(name, -1);

    /// <summary><c>p95</c>, <c>p99.9</c> (written <c>p99_9</c>): the percentile from 0 to 100, else null.</summary>
    public static double? Percentile(string name)
    {
        if (name.Length < 2 || name[0] != 'p' || !char.IsAsciiDigit(name[1]))
        {
            return null;
        }

        return double.TryParse(name[1..].Replace('_', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var p) && p <= 100 ? p : null;
    }

    /// <summary>A name an expression reads from the key's state rather than from the payload.</summary>
    public static bool IsDerived(string name) => (SlotOf(name) is >= 0 and < Threshold) || Percentile(name) is not null;

    /// <summary>What a key must keep to give <paramref name="name"/>.</summary>
    public static DerivedNeeds NeedOf(string name) => SlotOf(name) switch
    {
        Rate or Delta or Elapsed or Previous => DerivedNeeds.Previous,
        Ewma => DerivedNeeds.Ewma,
        Mean or Min or Max or Stdev or Count or Median or Zscore => DerivedNeeds.Window,
        Changed => DerivedNeeds.Changed,
        Baseline or BaselineStdev or Deviation => DerivedNeeds.Baseline,
        Anomaly or Anomalous => DerivedNeeds.Anomaly | DerivedNeeds.Baseline,
        _ when Percentile(name) is not null => DerivedNeeds.Window,
        _ => DerivedNeeds.None,
    };
}
