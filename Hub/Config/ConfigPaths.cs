namespace Hub.Config;

/// <summary>Resolves relative paths the way the whole configuration does: the config file's directory first, then the working directory.</summary>
internal static class ConfigPaths
{
    /// <summary>The absolute path; a path the platform cannot represent (e.g. with a NUL) is returned as given, to fail when used.</summary>
    public static string Resolve(string path, string configDirectory)
    {
        try
        {
            return ResolveValid(path, configDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    private static string ResolveValid(string path, string configDirectory)
    {
        if (Path.IsPathRooted(path))
        {
            return Path.GetFullPath(path);
        }

        var besideConfig = Path.GetFullPath(Path.Combine(configDirectory, path));
        if (File.Exists(besideConfig) || Directory.Exists(besideConfig))
        {
            return besideConfig;
        }

        var inWorkingDirectory = Path.GetFullPath(path);
        return File.Exists(inWorkingDirectory) || Directory.Exists(inWorkingDirectory) ? inWorkingDirectory : besideConfig;
    }
}
