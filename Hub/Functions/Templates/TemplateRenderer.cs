using Scriban;
using Scriban.Runtime;

namespace Hub.Functions.Templates;

/// <summary>
/// <c>template = NAME</c>: a Liquid template (Scriban) from <c>templates/NAME</c>, compiled once, rendered with the
/// transformation data as its variables. Output is not HTML-escaped (mqttwarn's Jinja2 does not escape either);
/// values print as Python's <c>str()</c> would, as in mqttwarn (see docs/templates.md).
/// </summary>
internal sealed class TemplateRenderer
{
    /// <summary>Loops over more items than this stop the render with an error (Scriban's default is 1,000).</summary>
    private const int LoopLimit = 100_000;

    private readonly Template? _template;

    private TemplateRenderer(string name, string? path, Template? template, IReadOnlyList<TemplateProblem> problems, string? problem)
    {
        Name = name;
        Path = path;
        _template = template;
        Problems = problems;
        Problem = problem;
    }

    public string Name { get; }

    /// <summary>The template file, or null when it was not found.</summary>
    public string? Path { get; }

    /// <summary>Why the template cannot render (missing file, syntax error), or null.</summary>
    public string? Problem { get; }

    /// <summary>What compiling found, by line of the template file (errors and warnings).</summary>
    public IReadOnlyList<TemplateProblem> Problems { get; }

    /// <summary>Finds <c>templates/NAME</c> beside the config file, then in the working directory, and compiles it (once per path and content).</summary>
    public static TemplateRenderer Load(string name, string configDirectory)
    {
        var relative = System.IO.Path.Combine("templates", name);
        var path = new[] { System.IO.Path.Combine(configDirectory, relative), System.IO.Path.GetFullPath(relative) }.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return new TemplateRenderer(name, null, null, [], $"template file {relative} not found beside the configuration file or in the working directory");
        }

        var compiled = TemplateCompiler.Compile(path, File.ReadAllText(path));
        var errors = compiled.Problems.Count(p => p.IsError);
        var problem = errors == 0 ? null : $"{path} has {errors} error{(errors == 1 ? "" : "s")}";
        return new TemplateRenderer(name, path, errors == 0 ? compiled.Template : null, compiled.Problems, problem);
    }

    /// <summary>Renders; throws when the template could not be loaded or fails while rendering.</summary>
    public string Render(IReadOnlyDictionary<string, object?> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_template is null)
        {
            throw new InvalidOperationException(Problem);
        }

        var variables = new ScriptObject(data.Count);
        foreach (var (key, value) in data)
        {
            variables[key] = value;
        }

        var context = new PythonTextTemplateContext { LoopLimit = LoopLimit };
        context.PushGlobal(TemplateFilters.Functions);
        context.PushGlobal(variables);
        return _template.Render(context);
    }
}
