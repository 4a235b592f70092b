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
        CheckCallable(node.Target, hasArguments: node.Arguments.Count > 0);
        base.Visit(node);
    }

    public override void Visit(ScriptPipeCall node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckCallable(node.To, hasArguments: false);
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

    private void CheckCallable(ScriptExpression? target, bool hasArguments)
    {
        // Jinja2's inline if, 'is' tests and 'in' read as a call in Liquid: `name if ok else 'x'` calls `name`.
        const string ReadAsCall = " (Jinja2's `a if c else b`, `x is defined` and `a in b` read as calls in Liquid: see docs/templates.md)";
        switch (target)
        {
            case ScriptVariableGlobal variable when !Known.Contains(variable.Name):
                var hint = JinjaHints.For(variable.Name);
                _problems.Add(new TemplateProblem(variable.Span.Start.Line + 1, $"unknown filter or tag '{variable.Name}'{(hint.Length == 0 && hasArguments ? ReadAsCall : hint)}"));
                break;
            case ScriptLiteral literal:
                _problems.Add(new TemplateProblem(literal.Span.Start.Line + 1, $"the value {literal} is called like a filter or tag{ReadAsCall}"));
                break;
        }
    }
}
