using Hub.Config;

namespace Hub.Graph;

/// <summary>The outcome of building a graph: the graph when nothing is wrong, and every error and warning found, in file order.</summary>
internal sealed record GraphResult(HubGraph? Graph, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);

    /// <summary>The diagnostics with every warning made an error (<c>hub check --strict</c>).</summary>
    public IReadOnlyList<ConfigDiagnostic> Strict() => Diagnostics.Select(d => d.IsError ? d : d with { IsError = true }).ToList();
}
