namespace Hub.Config;

/// <summary>A list of references (<c>log:info, file:f01, smtp</c>, possibly templated <c>log:{level}</c>).</summary>
public sealed record TargetList(IReadOnlyList<string> References) : TargetSpec;
