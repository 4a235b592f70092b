namespace Hub.Config;

/// <summary>The outcome of loading: a config, or errors. Warnings in both cases.</summary>
public sealed record ConfigLoadResult(HubConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public bool Success => Config is not null;
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
