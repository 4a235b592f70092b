namespace Hub.Functions.Templates;

/// <summary>How a Jinja2 word that Liquid does not know is written in Liquid (docs/templates.md has the full table).</summary>
internal static class JinjaHints
{
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["elif"] = "Liquid writes {% elsif … %}",
        ["set"] = "Liquid writes {% assign name = value %}",
        ["endset"] = "Liquid captures text with {% capture name %}…{% endcapture %}",
        ["print"] = "Liquid prints with {{ value }}",
        ["range"] = "Liquid loops over a range with {% for i in (1..n) %}",
        ["loop"] = "Liquid's loop variable is forloop (forloop.index, forloop.first, forloop.last)",
        ["not"] = "Liquid has no 'not': use {% unless … %} or compare (x == false, x == nil, x == empty)",
        ["format"] = "Liquid has no %-formatting: round with {{ x | round: 1 }} or format in a function",
        ["macro"] = "Liquid has no macros",
        ["block"] = "Liquid has no template inheritance",
        ["extends"] = "Liquid has no template inheritance",
        ["include"] = "the hub renders one file per template: no {% include %}",
        ["with"] = "Liquid has no {% with %}: use {% assign %}",
    };

    /// <summary>The hint for a Jinja2 word, as " (…)", or "".</summary>
    public static string For(string word) => Hints.TryGetValue(word, out var hint) ? $" ({hint})" : "";

    /// <summary>The hint for the tag that contains <paramref name="offset"/> (the first word after the nearest <c>{%</c> before it).</summary>
    public static string ForTagAt(string source, int offset)
    {
        var end = Math.Clamp(offset + 1, 0, source.Length);
        var open = source.LastIndexOf("{%", end == 0 ? 0 : end - 1, StringComparison.Ordinal);
        if (open < 0)
        {
            return "";
        }

        var at = open + 2;
        while (at < source.Length && (source[at] is '-' or '~' || char.IsWhiteSpace(source[at])))
        {
            at++;
        }

        var start = at;
        while (at < source.Length && char.IsAsciiLetter(source[at]))
        {
            at++;
        }

        return For(source[start..at]);
    }
}
