namespace Hub.Plugins.Common.Sql;

/// <summary>Turns delivery items into rows of raw values for a target (conversion to the columns' kinds is the driver's).</summary>
public static class SqlRows
{
    /// <summary>A table, schema or column name of a descriptor, formatted with the item's data when it holds <c>{…}</c>.</summary>
    public static string Name(string template, DeliveryItem item, IDataFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(formatter);
        return template.Contains('{', StringComparison.Ordinal) ? formatter.Format(template, item.Data) : template;
    }

    /// <summary>
    /// The columns one item writes. For a mapped target its columns; for mqttwarn's list shape the fallback column
    /// (the message) and every data key, kept only when <paramref name="tableHas"/> says the table has that column.
    /// </summary>
    public static IReadOnlyList<SqlColumn> ColumnsFor(SqlTarget target, DeliveryItem item, string? fallback, Func<string, bool> tableHas)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(tableHas);
        if (target.Columns is { } mapped)
        {
            return mapped;
        }

        // mqttwarn: the fallback column first, then the data keys (a key named like the fallback column wins).
        var columns = new List<SqlColumn>();
        if (fallback is not null && !item.Data.ContainsKey(fallback) && tableHas(fallback))
        {
            columns.Add(new SqlColumn(fallback, SqlSource.Message));
        }

        foreach (var key in item.Data.Keys)
        {
            if (key.Length > 0 && key[0] != '$' && !key.Contains('{', StringComparison.Ordinal) && tableHas(key))
            {
                columns.Add(new SqlColumn(key, key));
            }
        }

        return columns;
    }

    /// <summary>
    /// The rows of one item: one per message, or (per value) one per numeric reading that is not a built-in key
    /// (<c>topic</c>, <c>payload</c>, <c>_…</c>); a message without any reading gives no row.
    /// </summary>
    public static IEnumerable<object?[]> Rows(SqlTarget target, IReadOnlyList<SqlColumn> columns, DeliveryItem item, IDataFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(item);
        if (!target.PerValue)
        {
            yield return Row(columns, item, formatter, null, null);
            yield break;
        }

        foreach (var (key, raw) in item.Data)
        {
            if (!SqlSource.IsBuiltIn(key) && raw is not (bool or string) && DataValues.TryGetNumber(raw, out var number))
            {
                yield return Row(columns, item, formatter, key, number);
            }
        }
    }

    private static object?[] Row(IReadOnlyList<SqlColumn> columns, DeliveryItem item, IDataFormatter formatter, string? field, object? value)
    {
        var row = new object?[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            row[i] = SqlSource.Read(columns[i].Source, item, formatter, field, value);
        }

        return row;
    }
}
