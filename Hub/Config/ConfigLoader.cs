using Hub.Config.Ini;

namespace Hub.Config;

/// <summary>Reads, expands, parses and validates <c>hub.ini</c>.</summary>
public static class ConfigLoader
{
    /// <summary>
    /// Loads the file. On any error returns null config and every error (all at once, each with file and line).
    /// Never throws.
    /// </summary>
    public static ConfigLoadResult Load(string path)
    {
        var diagnostics = new DiagnosticBag(path ?? "");
        try
        {
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                diagnostics.Error(0, null, $"Configuration file \"{path}\" does not exist");
                return Result(null, diagnostics);
            }

            var text = ConfigFileText.Decode(File.ReadAllBytes(path), diagnostics);
            return text is null ? Result(null, diagnostics) : LoadText(text, path, diagnostics);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Error(0, null, $"Cannot read configuration file \"{path}\": {ex.Message}");
            return Result(null, diagnostics);
        }
        catch (Exception ex)
        {
            return InternalError(ex, diagnostics);
        }
    }

    /// <summary>Loads from text (tests); <paramref name="path"/> is used for messages and relative paths. Never throws.</summary>
    public static ConfigLoadResult LoadText(string text, string path) => LoadText(text ?? "", path, new DiagnosticBag(path ?? ""));

    private static ConfigLoadResult LoadText(string text, string path, DiagnosticBag diagnostics)
    {
        try
        {
            var fullPath = FullPathOrAsGiven(path);
            var directory = Path.GetDirectoryName(fullPath) is { Length: > 0 } d ? d : Directory.GetCurrentDirectory();
            var document = IniReader.Read(text, diagnostics);
            var config = ConfigBuilder.Build(document, fullPath, directory, diagnostics);
            return Result(config, diagnostics);
        }
        catch (Exception ex)
        {
            return InternalError(ex, diagnostics);
        }
    }

    // A loader bug must not crash the hub with a stack trace: it becomes one more error to report.
    private static ConfigLoadResult InternalError(Exception ex, DiagnosticBag diagnostics)
    {
        diagnostics.Error(0, null, $"Internal error while loading the configuration ({ex.GetType().Name}: {ex.Message}); please report it");
        return Result(null, diagnostics);
    }

    private static ConfigLoadResult Result(HubConfig? config, DiagnosticBag diagnostics) =>
        new(diagnostics.HasErrors ? null : config, diagnostics.ToList()) { Partial = config };

    private static string FullPathOrAsGiven(string path)
    {
        try
        {
            return Path.GetFullPath(string.IsNullOrEmpty(path) ? "hub.ini" : path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }
}
