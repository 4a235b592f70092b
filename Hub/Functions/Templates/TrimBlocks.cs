using Scriban.Syntax;

namespace Hub.Functions.Templates;

/// <summary>
/// Jinja2's <c>trim_blocks</c>, which mqttwarn turns on: the first newline after a <c>{% … %}</c> tag is removed
/// (not after <c>{{ … }}</c>), so a tag on a line of its own leaves no empty line behind.
/// </summary>
internal sealed class TrimBlocks : ScriptVisitor
{
    private readonly string _source;

    private TrimBlocks(string source) => _source = source;

    public static void Apply(ScriptPage page, string source) => new TrimBlocks(source).Visit(page);

    public override void Visit(ScriptRawStatement node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var start = node.Span.Start.Offset;
        var text = node.Text;
        if (start >= 2 && _source[start - 2] == '%' && _source[start - 1] == '}' && text.Length > 0)
        {
            var newline = text[0] == '\n' ? 1 : text.Length > 1 && text[0] == '\r' && text[1] == '\n' ? 2 : 0;
            if (newline > 0)
            {
                node.Text = new ScriptStringSlice(text.FullText, text.Index + newline, text.Length - newline);
            }
        }

        base.Visit(node);
    }
}
