namespace Hub.Plugins.Common.Sql;

/// <summary>One column of a target's row: its name in the table and where its value comes from (see <see cref="SqlSource"/>).</summary>
public sealed record SqlColumn(string Name, string Source);
