namespace Hub.Plugins.Common.Sql;

/// <summary>Sorts a batch's items into <see cref="SqlGroup{TType}"/>s: one per table and column set, in first-seen order.</summary>
public sealed class SqlBatch<TType>(string service, IDataFormatter formatter)
{
    private readonly Dictionary<string, SqlGroup<TType>> _groups = new(StringComparer.Ordinal);

    // A mapped target always writes the same columns: its group per table is found without building the key.
    private readonly Dictionary<object, Dictionary<string, SqlGroup<TType>>> _mapped = new(ReferenceEqualityComparer.Instance);

    /// <summary>The groups that have rows.</summary>
    public IEnumerable<SqlGroup<TType>> Groups => _groups.Values.Where(g => g.Rows.Count > 0);

    /// <summary>The tables seen (also of groups without rows), to forget their cached columns after a failure.</summary>
    public IEnumerable<string> Tables => _groups.Values.Select(g => g.Table).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// Adds the rows of one item for a table whose columns are <paramref name="tableColumns"/>; values are converted
    /// by <paramref name="convert"/>. A mapped column the table lacks is a permanent failure.
    /// Returns false when no column applies (an mqttwarn target whose data names no column).
    /// </summary>
    public bool Add(DeliveryItem item, SqlTarget target, string table, IReadOnlyDictionary<string, TType> tableColumns, Func<TType, object?, object?> convert)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(tableColumns);
        ArgumentNullException.ThrowIfNull(convert);
        if (target.Columns is not null && _mapped.TryGetValue(target, out var tables) && tables.TryGetValue(table, out var known))
        {
            AddRows(known, target, target.Columns, item, convert);
            return true;
        }

        var fallback = target.Fallback is { } f ? SqlRows.Name(f, item, formatter) : null;
        var columns = SqlRows.ColumnsFor(target, item, fallback, tableColumns.ContainsKey);
        if (columns.FirstOrDefault(c => !tableColumns.ContainsKey(c.Name)) is { } missing)
        {
            throw new PermanentDeliveryException($"{service}: table {table} has no column '{missing.Name}'");
        }

        if (columns.Count == 0)
        {
            return false;
        }

        var key = table + "\n" + string.Join('\n', columns.Select(c => c.Name));
        if (!_groups.TryGetValue(key, out var group))
        {
            group = new SqlGroup<TType>(table, [.. columns.Select(c => c.Name)], [.. columns.Select(c => tableColumns[c.Name])], target.Conflict, target.Update);
            _groups.Add(key, group);
        }

        if (target.Columns is not null)
        {
            if (!_mapped.TryGetValue(target, out var byTable))
            {
                _mapped[target] = byTable = new Dictionary<string, SqlGroup<TType>>(StringComparer.Ordinal);
            }

            byTable[table] = group;
        }

        AddRows(group, target, columns, item, convert);
        return true;
    }

    private void AddRows(SqlGroup<TType> group, SqlTarget target, IReadOnlyList<SqlColumn> columns, DeliveryItem item, Func<TType, object?, object?> convert)
    {
        foreach (var row in SqlRows.Rows(target, columns, item, formatter))
        {
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = convert(group.Types[i], row[i]);
            }

            group.Rows.Add(row);
        }
    }
}
