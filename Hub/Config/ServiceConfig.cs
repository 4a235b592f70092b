namespace Hub.Config;

/// <summary>A service instance: <c>[config:NAME]</c>.</summary>
public sealed class ServiceConfig
{
    public required string Name { get; init; }
    /// <summary>The plugin name (<c>module =</c>, default the instance name) or a <c>.dll</c> path.</summary>
    public required string Module { get; init; }
    public bool DecodeUtf8 { get; init; } = true;
    /// <summary>Plugin options: every key but <c>targets</c>, <c>module</c> (parsed literal values).</summary>
    public IReadOnlyDictionary<string, object?> Options { get; init; } = new Dictionary<string, object?>();
    /// <summary>Targets in declaration order. Without a <c>targets</c> key: one unnamed target (Name null) with an empty list descriptor.</summary>
    public required IReadOnlyList<ServiceTarget> Targets { get; init; }
    public required SourceLocation Location { get; init; }
    /// <summary>Where each key of <see cref="Options"/> is written, so an invalid option is reported at its own line.</summary>
    public IReadOnlyDictionary<string, SourceLocation> OptionLocations { get; init; } = new Dictionary<string, SourceLocation>();

    /// <summary>The line of option <paramref name="key"/>, else the section's.</summary>
    public SourceLocation LocationOf(string? key) => key is not null && OptionLocations.TryGetValue(key, out var location) ? location : Location;

    public ServiceTarget? FindTarget(string name) => Targets.FirstOrDefault(t => t.Name == name);
}
