namespace Hub.Config;

/// <summary>Collects every diagnostic of one load, so that all problems are reported at once.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<ConfigDiagnostic> diagnostics = [];

    public string File { get; } = file;

    public bool HasErrors => diagnostics.Any(d => d.IsError);

    public void Error(int line, string? section, string message) => Add(line, section, message, isError: true);

    public void Warning(int line, string? section, string message) => Add(line, section, message, isError: false);

    /// <summary>An error in another file the configuration names (e.g. <c>udf.csx:12: ...</c>).</summary>
    public void ErrorIn(string file, int line, string message) =>
        diagnostics.Add(new ConfigDiagnostic(new SourceLocation(file, line), message));

    /// <summary>A warning in another file the configuration names (e.g. <c>templates/alert.j2:3: ...</c>).</summary>
    public void WarningIn(string file, int line, string message) =>
        diagnostics.Add(new ConfigDiagnostic(new SourceLocation(file, line), message, IsError: false));

    /// <summary>In line order; duplicates (e.g. from <c>[DEFAULT]</c> keys copied into many sections) once.</summary>
    public IReadOnlyList<ConfigDiagnostic> ToList() =>
        diagnostics.Distinct().OrderBy(d => d.Location.Line).ToList();

    private void Add(int line, string? section, string message, bool isError) =>
        diagnostics.Add(new ConfigDiagnostic(new SourceLocation(File, line), message, isError) { Section = section });
}
