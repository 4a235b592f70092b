namespace Hub.Plugins.Common.Sql;

/// <summary>A table as a SQL sink knows it: its quoted, qualified name and its columns' types.</summary>
public sealed record SqlTable<TType>(string Name, Dictionary<string, TType> Columns);
