using System.Globalization;

namespace Hub.Formatting;

/// <summary>A replacement field's name with its <c>.member</c> and <c>[index]</c> accessors (mqttwarn-compat §7.1).</summary>
internal sealed class FieldPath
{
    private readonly Accessor[] accessors;

    private FieldPath(string key, Accessor[] accessors)
    {
        Key = key;
        this.accessors = accessors;
    }

    public string Key { get; }

    /// <summary>CPython's <c>field_name_split</c> and <c>FieldNameIterator</c>.</summary>
    /// <exception cref="FormatException">The name is positional or an accessor is malformed.</exception>
    public static FieldPath Parse(string name)
    {
        var i = 0;
        while (i < name.Length && name[i] is not ('.' or '['))
        {
            i++;
        }

        var key = name[..i];
        if (key.Length == 0 || key.All(char.IsAsciiDigit))
        {
            throw new FormatException($"Positional field '{{{name}}}' in format string; only named fields are supported");
        }

        var accessors = new List<Accessor>();
        while (i < name.Length)
        {
            var start = i + 1;
            switch (name[i])
            {
                case '.':
                    i = start;
                    while (i < name.Length && name[i] is not ('.' or '['))
                    {
                        i++;
                    }

                    accessors.Add(Accessor.Member(NonEmpty(name[start..i])));
                    break;
                case '[':
                    i = name.IndexOf(']', start);
                    if (i < 0)
                    {
                        throw new FormatException("Missing ']' in format string");
                    }

                    accessors.Add(Accessor.Index(NonEmpty(name[start..i])));
                    i++;
                    break;
                default:
                    throw new FormatException("Only '.' or '[' may follow ']' in format field specifier");
            }
        }

        return new FieldPath(key, [.. accessors]);
    }

    /// <exception cref="FormatException">A key, member or index is missing, or a value cannot be accessed that way.</exception>
    public object? Resolve(IReadOnlyDictionary<string, object?> data)
    {
        if (!data.TryGetValue(Key, out var value))
        {
            throw new FormatException($"Missing key '{Key}' in the data");
        }

        foreach (var accessor in accessors)
        {
            value = accessor.Apply(DataValue.Normalize(value));
        }

        return value;
    }

    private static string NonEmpty(string part) =>
        part.Length == 0 ? throw new FormatException("Empty attribute in format string") : part;

    private sealed class Accessor
    {
        private readonly bool isMember;
        private readonly string text;
        private readonly int? number;

        private Accessor(bool isMember, string text, int? number)
        {
            this.isMember = isMember;
            this.text = text;
            this.number = number;
        }

        public static Accessor Member(string name) => new(true, name, null);

        public static Accessor Index(string text)
        {
            if (!text.All(char.IsAsciiDigit))
            {
                return new(false, text, null);
            }

            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? new(false, text, number)
                : throw new FormatException("Too many decimal digits in format string");
        }

        public object? Apply(object? value)
        {
            if (value is IReadOnlyDictionary<string, object?> map)
            {
                return map.TryGetValue(text, out var item)
                    ? item
                    : throw new FormatException($"Missing key '{text}' in '{(isMember ? "." : "[")}{text}{(isMember ? "" : "]")}'");
            }

            if (isMember)
            {
                throw new FormatException($"'{DataValue.PythonTypeName(value)}' object has no attribute '{text}'");
            }

            return value switch
            {
                IReadOnlyList<object?> list when number is { } n => n < list.Count ? list[n] : throw new FormatException($"list index out of range: [{n}]"),
                IReadOnlyList<object?> => throw new FormatException($"list indices must be integers, not '{text}'"),
                string s when number is { } n => CodePointAt(s, n),
                string => throw new FormatException($"string indices must be integers, not '{text}'"),
                byte[] bytes when number is { } n => n < bytes.Length ? (long)bytes[n] : throw new FormatException($"index out of range: [{n}]"),
                _ => throw new FormatException($"'{DataValue.PythonTypeName(value)}' object is not subscriptable"),
            };
        }

        private static string CodePointAt(string text, int index)
        {
            var start = PyUnicode.Utf16LengthOf(text, index);
            if (start >= text.Length)
            {
                throw new FormatException($"string index out of range: [{index}]");
            }

            var length = char.IsHighSurrogate(text[start]) && start + 1 < text.Length && char.IsLowSurrogate(text[start + 1]) ? 2 : 1;
            return text.Substring(start, length);
        }
    }
}
