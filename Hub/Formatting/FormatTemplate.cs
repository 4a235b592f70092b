using System.Text;

namespace Hub.Formatting;

/// <summary>
/// A parsed <c>str.format</c> string: literal text and replacement fields, parsed once as CPython's
/// <c>MarkupIterator</c> and <c>parse_field</c> do.
/// </summary>
internal sealed class FormatTemplate
{
    private const int TopLevelDepth = 2;

    private readonly Part[] parts;

    private FormatTemplate(Part[] parts) => this.parts = parts;

    /// <summary>The text when the template has no fields, else null.</summary>
    public string? ConstantText => parts.Length switch
    {
        0 => "",
        1 when parts[0].Field is null => parts[0].Literal,
        _ => null,
    };

    /// <exception cref="FormatException">The format string is malformed.</exception>
    public static FormatTemplate Parse(string format) => Parse(format, TopLevelDepth);

    private static FormatTemplate Parse(string format, int depth)
    {
        if (depth <= 0)
        {
            throw new FormatException("Max string recursion exceeded");
        }

        var parts = new List<Part>();
        var literal = new StringBuilder();
        var position = 0;
        while (position < format.Length)
        {
            var start = position;
            var c = '\0';
            var markupFollows = false;
            while (position < format.Length)
            {
                c = format[position++];
                if (c is '{' or '}')
                {
                    markupFollows = true;
                    break;
                }
            }

            var atEnd = position >= format.Length;
            var length = position - start;
            if (markupFollows && c == '}' && (atEnd || format[position] != '}'))
            {
                throw new FormatException("Single '}' encountered in format string");
            }

            if (markupFollows && atEnd && c == '{')
            {
                throw new FormatException("Single '{' encountered in format string");
            }

            if (markupFollows && format[position] == c)
            {
                position++;
                markupFollows = false;
            }
            else if (markupFollows)
            {
                length--;
            }

            literal.Append(format, start, length);
            if (!markupFollows)
            {
                continue;
            }

            if (literal.Length > 0)
            {
                parts.Add(new Part(literal.ToString(), null));
                literal.Clear();
            }

            parts.Add(new Part(null, ParseField(format, ref position, depth)));
        }

        if (literal.Length > 0)
        {
            parts.Add(new Part(literal.ToString(), null));
        }

        return new FormatTemplate([.. parts]);
    }

    private static Field ParseField(string format, ref int position, int depth)
    {
        var nameStart = position;
        var c = '\0';
        while (position < format.Length)
        {
            c = format[position++];
            if (c == '{')
            {
                throw new FormatException("unexpected '{' in field name");
            }

            if (c == '[')
            {
                while (position < format.Length && format[position] != ']')
                {
                    position++;
                }

                continue;
            }

            if (c is '}' or ':' or '!')
            {
                break;
            }
        }

        if (c is not ('}' or ':' or '!'))
        {
            throw new FormatException("expected '}' before end of string");
        }

        var path = FieldPath.Parse(format[nameStart..(position - 1)]);
        var conversion = 0;
        if (c == '}')
        {
            return new Field(path, conversion, null, null);
        }

        if (c == '!')
        {
            if (position >= format.Length)
            {
                throw new FormatException("end of string while looking for conversion specifier");
            }

            conversion = ReadCodePoint(format, ref position);
            if (position < format.Length)
            {
                var next = format[position++];
                if (next == '}')
                {
                    return new Field(path, conversion, null, null);
                }

                if (next != ':')
                {
                    throw new FormatException("expected ':' after conversion specifier");
                }
            }
        }

        var specStart = position;
        var count = 1;
        var needsExpanding = false;
        while (position < format.Length)
        {
            c = format[position++];
            if (c == '{')
            {
                needsExpanding = true;
                count++;
            }
            else if (c == '}' && --count == 0)
            {
                var spec = format[specStart..(position - 1)];
                return needsExpanding
                    ? new Field(path, conversion, null, Parse(spec, depth - 1))
                    : new Field(path, conversion, spec.Length == 0 ? null : FormatSpec.Parse(spec), null);
            }
        }

        throw new FormatException("unmatched '{' in format spec");
    }

    /// <summary>
    /// What is wrong with this template whatever the data: a format code no value type knows (<c>{x:.1q}</c>), a
    /// numeric code after a conversion that makes text (<c>{x!r:d}</c>), a conversion that is ignored (<c>{x!z}</c>).
    /// Nested specs are only known with the data, so they are not judged.
    /// </summary>
    public IEnumerable<(string Problem, bool NeverWorks)> StaticProblems()
    {
        foreach (var field in parts.Select(p => p.Field).OfType<Field>())
        {
            var converted = field.Conversion is 's' or 'r' or 'a' or 'j';
            if (field.Conversion != 0 && !converted)
            {
                yield return ($"unknown conversion '!{char.ConvertFromUtf32(field.Conversion)}' is ignored (known: !s, !r, !a, !j)", false);
            }

            if (field.Spec is not { Type: not '\0' } spec)
            {
                continue;
            }

            if (!KnownTypes.Contains(spec.Type))
            {
                yield return ($"unknown format code {FormatSpec.Describe(spec.Type)} in {{{field.Path.Key}:{spec.Text}}}", true);
            }
            else if (converted && spec.Type != 's')
            {
                yield return ($"format code '{spec.Type}' cannot format the text a '!{(char)field.Conversion}' conversion makes", true);
            }
        }
    }

    private const string KnownTypes = "sbcdoxXneEfFgG%";

    /// <exception cref="FormatException">A field cannot be resolved or formatted.</exception>
    public void Render(StringBuilder builder, IReadOnlyDictionary<string, object?> data)
    {
        foreach (var part in parts)
        {
            if (part.Field is not { } field)
            {
                builder.Append(part.Literal);
                continue;
            }

            var value = Convert(field.Path.Resolve(data), field.Conversion);
            var spec = field.Spec;
            if (field.NestedSpec is { } nested)
            {
                var specBuilder = new StringBuilder();
                nested.Render(specBuilder, data);
                spec = specBuilder.Length == 0 ? null : FormatSpec.Parse(specBuilder.ToString());
            }

            SpecFormatter.Append(builder, value, spec);
        }
    }

    private static int ReadCodePoint(string text, ref int position)
    {
        var c = text[position++];
        if (char.IsHighSurrogate(c) && position < text.Length && char.IsLowSurrogate(text[position]))
        {
            return char.ConvertToUtf32(c, text[position++]);
        }

        return c;
    }

    private static object? Convert(object? value, int conversion) => conversion switch
    {
        's' => PyValue.Str(value),
        'r' => PyValue.Repr(value),
        'a' => PyValue.Ascii(value),
        'j' => PyValue.Json(value),
        _ => value,
    };

    private sealed record Part(string? Literal, Field? Field);

    private sealed record Field(FieldPath Path, int Conversion, FormatSpec? Spec, FormatTemplate? NestedSpec);
}
