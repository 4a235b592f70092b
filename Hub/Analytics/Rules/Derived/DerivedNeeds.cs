namespace Hub.Analytics.Rules.Derived;

/// <summary>Which state a rule's keys keep: only what its expressions and texts read, so a threshold rule keeps a few numbers.</summary>
[Flags]
internal enum DerivedNeeds
{
    None = 0,
    Previous = 1,
    Ewma = 2,
    Window = 4,
    Changed = 8,
    Baseline = 16,
    Anomaly = 32,
}
