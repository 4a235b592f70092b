namespace Hub.Plugins.Common.Sql;

/// <summary>
/// The rows of one batch that go to one table with one column set: written with one statement (or one <c>COPY</c>).
/// <typeparamref name="TType"/> is the driver's description of a column's type.
/// </summary>
public sealed class SqlGroup<TType>(string table, string[] columns, TType[] types, IReadOnlyList<string> conflict, bool update)
{
    /// <summary>The table's quoted, schema-qualified name.</summary>
    public string Table { get; } = table;

    public string[] Columns { get; } = columns;

    public TType[] Types { get; } = types;

    /// <summary>The unique key's columns (empty: plain inserts).</summary>
    public IReadOnlyList<string> Conflict { get; } = conflict;

    /// <summary>On a conflict, update the other columns (else keep the existing row).</summary>
    public bool Update { get; } = update;

    /// <summary>The rows, converted to the columns' types.</summary>
    public List<object?[]> Rows { get; } = [];

    /// <summary>For an update on conflict: each key's last row only (a key twice in one statement is an error), in order.</summary>
    public IReadOnlyList<object?[]> LastPerKey()
    {
        if (!Update || Conflict.Count == 0)
        {
            return Rows;
        }

        var keyIndexes = Conflict.Select(c => Array.IndexOf(Columns, c)).ToArray();
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < Rows.Count; r++)
        {
            last[string.Join('\u0001', keyIndexes.Select(i => i < 0 ? "" : SqlSource.Text(Rows[r][i])))] = r;
        }

        return [.. last.Values.Order().Select(r => Rows[r])];
    }
}
