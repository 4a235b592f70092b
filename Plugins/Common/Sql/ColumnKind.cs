namespace Hub.Plugins.Common.Sql;

/// <summary>What a database column holds, as far as the SQL sinks convert values for it (each driver maps its type names to these).</summary>
public enum ColumnKind
{
    /// <summary>Text (and every type the sink writes as text).</summary>
    Text,

    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A floating-point or decimal number.</summary>
    Real,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A point in time (written as UTC).</summary>
    Time,

    /// <summary>JSON text.</summary>
    Json,

    /// <summary>Raw bytes.</summary>
    Bytes,
}
