using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>mysql_dynamic</c> plugin (<c>[config:NAME]</c>): those of every SQL sink, the index table, and table creation.</summary>
public sealed class MysqlDynamicOptions() : SqlOptions(3306)
{
    [Option(Description = "a table (topic, ts) that gets each written table's name and its last message time (mqttwarn's index); none when unset")]
    public string? Index { get; set; }

    [Option("create_table", Description = "create a topic's table when it is missing and add a column when a new data key appears (else such a message fails)")]
    public bool CreateTable { get; set; } = true;
}
