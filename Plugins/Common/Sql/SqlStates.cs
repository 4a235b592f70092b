namespace Hub.Plugins.Common.Sql;

/// <summary>Sorts SQLSTATE codes (PostgreSQL, MariaDB, MySQL) into failures a retry may cure and ones it will not.</summary>
public static class SqlStates
{
    /// <summary>
    /// True for errors in the data or the statement: class 21 (cardinality), 22 (data exception), 23 (integrity
    /// constraint), 42 (syntax, undefined table or column, privileges), 0A (not supported), 2B, 44. Connection
    /// failures (08), a server shutting down (57), deadlocks and serialization failures (40) and resource limits
    /// (53) are transient.
    /// </summary>
    public static bool IsPermanent(string? sqlState) =>
        sqlState is { Length: 5 } && sqlState[..2] is "21" or "22" or "23" or "42" or "0A" or "2B" or "44";
}
