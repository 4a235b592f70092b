namespace Hub.Config;

/// <summary>Reads, expands, parses and validates <c>hub.ini</c>.</summary>
public static class ConfigLoader
{
    /// <summary>
    /// Loads the file. On any error returns null config and every error (all at once, each with file and line).
    /// </summary>
    public static ConfigLoadResult Load(string path) => throw new NotImplementedException();

    /// <summary>Loads from text (tests); <paramref name="path"/> is used for messages and relative paths.</summary>
    public static ConfigLoadResult LoadText(string text, string path) => throw new NotImplementedException();
}

/// <summary>The outcome of loading: a config, or errors. Warnings in both cases.</summary>
public sealed record ConfigLoadResult(HubConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public bool Success => Config is not null;
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
}
