using System.Collections.Concurrent;
using Scriban;
using Scriban.Parsing;

namespace Hub.Functions.Templates;

/// <summary>
/// Parses template files as Liquid, applies Jinja2's whitespace rules (as mqttwarn configures them) and checks for
/// Jinja2-only syntax. A file is compiled once per content: a reload with the same text reuses the compiled template.
/// </summary>
internal static class TemplateCompiler
{
    private static readonly ConcurrentDictionary<string, CompiledTemplate> Cache = new(StringComparer.Ordinal);

    public static CompiledTemplate Compile(string path, string text)
    {
        if (Cache.TryGetValue(path, out var cached) && string.Equals(cached.Text, text, StringComparison.Ordinal))
        {
            return cached;
        }

        var compiled = CompileNew(path, text);
        Cache[path] = compiled;
        return compiled;
    }

    private static CompiledTemplate CompileNew(string path, string text)
    {
        var template = Template.ParseLiquid(text, path);
        var problems = new List<TemplateProblem>();
        foreach (var message in template.Messages)
        {
            var line = message.Span.Start.Line + 1;
            var hint = JinjaHints.ForTagAt(text, message.Span.Start.Offset);
            problems.Add(new TemplateProblem(line, $"{message.Message} (column {message.Span.Start.Column + 1}){hint}", message.Type == ParserMessageType.Error));
        }

        if (!template.HasErrors && template.Page is not null)
        {
            JinjaWhitespace.Apply(template.Page, text);
            problems.AddRange(TemplateChecks.Run(template.Page));
        }

        return new CompiledTemplate(text, template, problems.OrderBy(p => p.Line).ToList());
    }
}
