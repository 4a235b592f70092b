namespace Hub.Diagnostics;

/// <summary>Inputs the router refused or repaired, by reason, summed over every configuration since the start.</summary>
internal readonly record struct RefusedTotals(long InvalidUtf8, long EmptySuppressed, long FormatFailures, long FunctionFailures, long RoutingFailures)
{
    /// <summary>The reasons with their Prometheus label values.</summary>
    public IEnumerable<(string Reason, long Count)> ByReason()
    {
        yield return ("invalid_utf8", InvalidUtf8);
        yield return ("empty_message", EmptySuppressed);
        yield return ("format_failure", FormatFailures);
        yield return ("function_failure", FunctionFailures);
        yield return ("routing_failure", RoutingFailures);
    }
}
