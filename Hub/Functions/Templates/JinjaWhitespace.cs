using Scriban.Syntax;

namespace Hub.Functions.Templates;

/// <summary>
/// Jinja2's whitespace rules as mqttwarn sets them up: <c>trim_blocks</c> (the first newline after a <c>{% … %}</c>
/// tag is removed, not after <c>{{ … }}</c>, so a tag on a line of its own leaves no empty line behind) and
/// <c>keep_trailing_newline = False</c> (a single newline at the end of the file is not printed).
/// </summary>
internal sealed class JinjaWhitespace : ScriptVisitor
{
    private readonly string _source;
    private ScriptRawStatement? _last;

    private JinjaWhitespace(string source) => _source = source;

    public static void Apply(ScriptPage page, string source)
    {
        var whitespace = new JinjaWhitespace(source);
        whitespace.Visit(page);
        if (whitespace._last is { } last && last.Span.End.Offset == source.Length - 1)
        {
            var text = last.Text;
            var newline = text.Length > 1 && text[text.Length - 2] == '\r' && text[text.Length - 1] == '\n' ? 2 : text.Length > 0 && text[text.Length - 1] == '\n' ? 1 : 0;
            last.Text = Slice(text, 0, text.Length - newline);
        }
    }

    public override void Visit(ScriptRawStatement node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var start = node.Span.Start.Offset;
        var text = node.Text;
        if (start >= 2 && _source[start - 2] == '%' && _source[start - 1] == '}' && text.Length > 0)
        {
            var newline = text[0] == '\n' ? 1 : text.Length > 1 && text[0] == '\r' && text[1] == '\n' ? 2 : 0;
            node.Text = Slice(text, newline, text.Length - newline);
        }

        _last = node;
        base.Visit(node);
    }

    /// <summary>Part of a slice; the empty slice when nothing is left (a slice may not start at the end of its text).</summary>
    private static ScriptStringSlice Slice(ScriptStringSlice text, int skip, int length) =>
        length <= 0 ? ScriptStringSlice.Empty : new ScriptStringSlice(text.FullText, text.Index + skip, length);
}
