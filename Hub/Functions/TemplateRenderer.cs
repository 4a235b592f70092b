using System.Text;
using HandlebarsDotNet;
using Hub.Formatting;

namespace Hub.Functions;

/// <summary>
/// <c>template = NAME</c>: a Handlebars template from <c>templates/NAME</c>, compiled once, rendered
/// with the transformation data as context. Output is not HTML-escaped (mqttwarn's Jinja2 does not
/// escape either); <c>{{jsonify value}}</c> writes a value as JSON.
/// </summary>
internal sealed class TemplateRenderer
{
    private static readonly IHandlebars Engine = CreateEngine();
    private readonly HandlebarsTemplate<object, object>? _template;

    private TemplateRenderer(string name, HandlebarsTemplate<object, object>? template, string? problem)
    {
        Name = name;
        _template = template;
        Problem = problem;
    }

    public string Name { get; }

    /// <summary>Why the template cannot render (missing file, syntax error), or null.</summary>
    public string? Problem { get; }

    /// <summary>Finds <c>templates/NAME</c> beside the config file, then in the working directory, and compiles it.</summary>
    public static TemplateRenderer Load(string name, string configDirectory)
    {
        var relative = Path.Combine("templates", name);
        var path = new[] { Path.Combine(configDirectory, relative), Path.GetFullPath(relative) }.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return new TemplateRenderer(name, null, $"template file {relative} not found beside the configuration file or in the working directory");
        }

        var text = File.ReadAllText(path);
        if (text.Contains("{%", StringComparison.Ordinal))
        {
            return new TemplateRenderer(name, null, $"{path} uses Jinja2 syntax ({{% ... %}}); the hub renders Handlebars templates ({{{{ name }}}}, {{{{#if x}}}}...{{{{/if}}}})");
        }

        try
        {
            return new TemplateRenderer(name, Engine.Compile(text), null);
        }
        catch (HandlebarsException ex)
        {
            return new TemplateRenderer(name, null, $"{path}: {ex.Message}");
        }
    }

    /// <summary>Renders; throws when the template could not be loaded or fails while rendering.</summary>
    public string Render(IReadOnlyDictionary<string, object?> data)
    {
        if (_template is null)
        {
            throw new InvalidOperationException(Problem);
        }

        return _template(data, null);
    }

    private static IHandlebars CreateEngine()
    {
        var engine = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });
        engine.RegisterHelper("jsonify", (in HelperOptions _, in Context _, in Arguments arguments) =>
        {
            var builder = new StringBuilder();
            PyJson.Append(builder, arguments.Length == 0 ? null : arguments[0]);
            return builder.ToString();
        });
        return engine;
    }
}
