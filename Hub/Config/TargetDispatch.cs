namespace Hub.Config;

/// <summary>A dispatcher dict: topic filter → references; the most specific match wins.</summary>
public sealed record TargetDispatch(IReadOnlyList<KeyValuePair<string, IReadOnlyList<string>>> Entries) : TargetSpec;
