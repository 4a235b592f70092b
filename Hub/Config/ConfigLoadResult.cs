namespace Hub.Config;

/// <summary>The outcome of loading: a config, or errors. Warnings in both cases.</summary>
public sealed record ConfigLoadResult(HubConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public bool Success => Config is not null;

    /// <summary>
    /// The configuration as far as it could be read, also when it has errors: the graph builder still binds its
    /// plugins, so that one run reports every problem. Never run.
    /// </summary>
    internal HubConfig? Partial { get; init; }
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
