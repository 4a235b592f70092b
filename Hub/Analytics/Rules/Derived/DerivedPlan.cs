namespace Hub.Analytics.Rules.Derived;

/// <summary>What a rule's keys compute per sample: the state it needs, its settings, and the percentile slots.</summary>
internal sealed record DerivedPlan(DerivedNeeds Needs, DerivedOptions Options, (double Percentile, int Slot)[] Percentiles);
