namespace Hub.Config;

/// <summary>One target of a service: its name and descriptor.</summary>
public sealed record ServiceTarget(string? Name, object? Descriptor, SourceLocation Location);
