using System.Text.RegularExpressions;

namespace Hub.Config.Sections;

/// <summary>
/// mqttwarn's way of naming a Python module in <c>functions</c> and <c>[config:NAME] module</c>: a <c>.py</c> path
/// or a dotted module name (<c>examples.homie.homie</c>), which the hub runs in its embedded Python.
/// </summary>
internal static partial class PythonModuleName
{
    // Names that end like a file (mqttwarn's Lua and JavaScript functions included) are not module names.
    private static readonly HashSet<string> FileExtensions = new(["py", "pyc", "csx", "dll", "so", "lua", "js", "javascript", "json", "ini", "txt"], StringComparer.OrdinalIgnoreCase);

    /// <summary>True for a <c>.py</c> path or a dotted module name.</summary>
    public static bool IsPython(string? module) =>
        module is not null && (module.EndsWith(".py", StringComparison.OrdinalIgnoreCase) || IsDotted(module));

    /// <summary>True for a dotted Python module name such as <c>examples.homie.homie</c> (not a <c>.csx</c> or <c>.dll</c> path).</summary>
    public static bool IsDotted(string text) =>
        Dotted().IsMatch(text) && !FileExtensions.Contains(text[(text.LastIndexOf('.') + 1)..]);

    /// <summary>
    /// The file a dotted name means, looked up under <paramref name="configDirectory"/>, each of its parents, then the
    /// working directory (<c>a.b.c</c> → <c>a/b/c.py</c> or <c>a/b/c/__init__.py</c>); null when none holds it (an installed module).
    /// </summary>
    public static string? Locate(string dotted, string configDirectory)
    {
        var relative = Path.Combine(dotted.Split('.'));
        var roots = new List<string>();
        for (var folder = new DirectoryInfo(configDirectory); folder is not null; folder = folder.Parent)
        {
            roots.Add(folder.FullName);
        }

        roots.Add(Directory.GetCurrentDirectory());
        return roots
            .SelectMany(root => new[] { Path.Combine(root, relative + ".py"), Path.Combine(root, relative, "__init__.py") })
            .FirstOrDefault(File.Exists);
    }

    /// <summary>A <c>.py</c> path resolved against the configuration's folder; a dotted name as its file when found, else as written.</summary>
    public static string Resolve(string module, string configDirectory) =>
        module.EndsWith(".py", StringComparison.OrdinalIgnoreCase) ? ConfigPaths.Resolve(module, configDirectory) : Locate(module, configDirectory) ?? module;

    [GeneratedRegex(@"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")]
    private static partial Regex Dotted();
}
