using Scriban.Functions;
using Scriban.Syntax;

namespace Hub.Functions.Templates;

/// <summary>
/// Finds what a Jinja2 template brings along that Liquid parses but cannot run: a call to a filter or tag that
/// does not exist (<c>{% elif %}</c>, <c>| upper()</c> of an unknown name) is an error, found at load instead of on
/// the first message; <c>loop.</c> and <c>{# … #}</c> are warnings (a data key may be named <c>loop</c>, text may
/// contain <c>{#</c>).
/// </summary>
internal sealed class TemplateChecks : ScriptVisitor
{
    private static readonly HashSet<string> Known = new LiquidBuiltinsFunctions().Keys
        .Concat(TemplateFilters.Functions.Keys)
        .Where(name => name != "include")
        .ToHashSet(StringComparer.Ordinal);

    private readonly List<TemplateProblem> _problems = [];

    public static IReadOnlyList<TemplateProblem> Run(ScriptPage page)
    {
        var checks = new TemplateChecks();
        checks.Visit(page);
        return checks._problems;
    }

    public override void Visit(ScriptFunctionCall node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckCallable(node.Target);
        base.Visit(node);
    }

    public override void Visit(ScriptPipeCall node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckCallable(node.To);
        base.Visit(node);
    }

    public override void Visit(ScriptMemberExpression node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Target is ScriptVariableGlobal { Name: "loop" } loop)
        {
            _problems.Add(new TemplateProblem(loop.Span.Start.Line + 1, "'loop' is not set by Liquid's for" + JinjaHints.For("loop"), IsError: false));
        }

        base.Visit(node);
    }

    public override void Visit(ScriptRawStatement node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = node.Text.ToString();
        var comment = text.IndexOf("{#", StringComparison.Ordinal);
        if (comment >= 0)
        {
            var line = node.Span.Start.Line + 1 + text.AsSpan(0, comment).Count('\n');
            _problems.Add(new TemplateProblem(line, "'{#' is printed as text: Liquid writes comments as {% comment %}…{% endcomment %}", IsError: false));
        }

        base.Visit(node);
    }

    private void CheckCallable(ScriptExpression? target)
    {
        if (target is ScriptVariableGlobal variable && !Known.Contains(variable.Name))
        {
            _problems.Add(new TemplateProblem(variable.Span.Start.Line + 1, $"unknown filter or tag '{variable.Name}'{JinjaHints.For(variable.Name)}"));
        }
    }
}
