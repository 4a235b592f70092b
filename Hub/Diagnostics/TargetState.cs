namespace Hub.Diagnostics;

/// <summary>One target of the configuration in force, as metrics and status show it.</summary>
internal sealed record TargetState(string Service, string? Target, bool Failing, long QueueDepth, long JournalBytes, TargetTotals Totals)
{
    public string Name => Target is null ? Service : $"{Service}:{Target}";
}
