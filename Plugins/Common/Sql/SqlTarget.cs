namespace Hub.Plugins.Common.Sql;

/// <summary>
/// One SQL sink target, parsed from its descriptor. Two shapes:
/// <list type="bullet">
/// <item>mqttwarn's list <c>[table, fallback_column, schema?]</c>: every data key that names a column of the table is
/// written, and the fallback column gets the message (<c>'NOP'</c>: no fallback column).</item>
/// <item>a dict <c>{'table': …, 'columns': {column: source}, 'rows': 'message'|'values', 'conflict': [columns],
/// 'update': False, 'schema': …}</c>; without <c>columns</c> the default layout (<see cref="DefaultColumns"/>).</item>
/// </list>
/// Table and fallback names may hold <c>{…}</c> templates, formatted with the data (as mqttwarn does).
/// </summary>
public sealed record SqlTarget(
    string Table,
    string? Schema,
    string? Fallback,
    IReadOnlyList<SqlColumn>? Columns,
    bool PerValue,
    IReadOnlyList<string> Conflict,
    bool Update)
{
    /// <summary>The keys a dict descriptor may have.</summary>
    public static readonly IReadOnlyList<string> Keys = ["table", "schema", "columns", "rows", "conflict", "update"];

    /// <summary>True for mqttwarn's list shape: the columns are the table's own that match data keys.</summary>
    public bool MatchesDataKeys => Columns is null;

    /// <summary>True when the dict gave no <c>columns</c>: the default layout, which the sink may create.</summary>
    public bool IsDefaultLayout { get; init; }

    /// <summary>
    /// The default layout: <c>time</c> (the message time), <c>topic</c>, <c>field</c> and <c>value</c> (per value: one
    /// row per numeric field; per message: empty field and the message as a number), and <c>message</c> per message.
    /// Its key is (topic, field, time), so a batch written twice keeps each row once.
    /// </summary>
    public static IReadOnlyList<SqlColumn> DefaultColumns(bool perValue) => perValue
        ? [new("time", SqlSource.Time), new("topic", "topic"), new("field", SqlSource.Field), new("value", SqlSource.Value)]
        : [new("time", SqlSource.Time), new("topic", "topic"), new("field", SqlSource.Field), new("value", SqlSource.Value), new("message", SqlSource.Message)];

    /// <summary>The conflict key of the default layout.</summary>
    public static readonly IReadOnlyList<string> DefaultKey = ["topic", "field", "time"];

    /// <summary>Parses a descriptor (lenient about what <see cref="CheckShape"/> refuses at load).</summary>
    /// <exception cref="FormatException">No table, or a shape that cannot be read.</exception>
    public static SqlTarget From(object? descriptor)
    {
        CheckShape(descriptor);
        if (Descriptor.Named(descriptor) is { } named)
        {
            var perValue = OptionValues.ToText(named.GetValueOrDefault("rows")) is "values";
            var columns = named.GetValueOrDefault("columns") is IReadOnlyDictionary<string, object?> map
                ? map.Select(pair => new SqlColumn(pair.Key, OptionValues.ToText(pair.Value) ?? pair.Key)).ToArray()
                : null;
            var conflict = Descriptor.Items(named.GetValueOrDefault("conflict")).Select(c => OptionValues.ToText(c) ?? "").ToArray();
            return new SqlTarget(
                OptionValues.ToText(named["table"])!,
                OptionValues.ToText(named.GetValueOrDefault("schema")),
                null,
                columns ?? DefaultColumns(perValue),
                perValue,
                columns is null && conflict.Length == 0 ? DefaultKey : conflict,
                OptionValues.GetBool(named, "update", false))
            { IsDefaultLayout = columns is null };
        }

        var items = Descriptor.Items(descriptor);
        var fallback = items.Count > 1 ? OptionValues.ToText(items[1]) : null;
        return new SqlTarget(
            OptionValues.ToText(items[0])!,
            items.Count > 2 ? OptionValues.ToText(items[2]) : null,
            fallback is null or "NOP" ? null : fallback,
            null,
            false,
            [],
            false);
    }

    /// <summary>The shape checks made when the configuration loads; each problem is one <see cref="FormatException"/>.</summary>
    public static void CheckShape(object? descriptor)
    {
        const string Shapes = "the target must be ['table', 'fallback_column', 'schema'?] or {'table': 'name', 'columns': {'column': 'data key'}, ...}";
        switch (descriptor)
        {
            case IReadOnlyDictionary<string, object?> named:
                if (named.Keys.FirstOrDefault(k => !Keys.Contains(k)) is { } unknown)
                {
                    throw new FormatException($"unknown key '{unknown}' in the target (known: {string.Join(", ", Keys)})");
                }

                if (named.GetValueOrDefault("table") is not string { Length: > 0 })
                {
                    throw new FormatException("'table' must be the table's name (text)");
                }

                if (named.GetValueOrDefault("schema") is { } schema and not string)
                {
                    throw new FormatException($"'schema' must be text, not {OptionValues.Describe(schema)}");
                }

                CheckColumns(named);
                break;
            case IReadOnlyList<object?> list:
                if (list.Count is < 1 or > 3 || list.Any(item => item is not string { Length: > 0 }))
                {
                    throw new FormatException(Shapes);
                }

                break;
            default:
                throw new FormatException($"{Shapes}, not {OptionValues.Describe(descriptor)}");
        }
    }

    private static void CheckColumns(IReadOnlyDictionary<string, object?> named)
    {
        var columns = named.GetValueOrDefault("columns");
        if (columns is not (null or IReadOnlyDictionary<string, object?>))
        {
            throw new FormatException($"'columns' must be a dict of column: data key, not {OptionValues.Describe(columns)}");
        }

        var map = columns as IReadOnlyDictionary<string, object?>;
        if (map is not null)
        {
            if (map.Count == 0)
            {
                throw new FormatException("'columns' must name at least one column");
            }

            foreach (var (key, value) in map)
            {
                if (key.Length == 0 || value is not string { Length: > 0 })
                {
                    throw new FormatException($"column '{key}' must map to a data key, a template or one of $time, $message, $field, $value (text)");
                }
            }
        }

        if (named.GetValueOrDefault("rows") is { } rows && rows is not ("message" or "values"))
        {
            throw new FormatException($"'rows' must be 'message' or 'values', not {OptionValues.Describe(rows)}");
        }

        var conflict = named.GetValueOrDefault("conflict");
        if (conflict is not (null or IReadOnlyList<object?>) || Descriptor.Items(conflict).Any(c => c is not string { Length: > 0 }))
        {
            throw new FormatException("'conflict' must be a list of column names");
        }

        if (map is not null && Descriptor.Items(conflict).FirstOrDefault(c => !map.ContainsKey((string)c!)) is string missing)
        {
            throw new FormatException($"conflict column '{missing}' is not one of the target's columns");
        }

        if (named.GetValueOrDefault("update") is { } update and not bool)
        {
            throw new FormatException($"'update' must be True or False, not {OptionValues.Describe(update)}");
        }
    }
}
