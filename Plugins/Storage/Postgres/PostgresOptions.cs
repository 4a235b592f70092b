using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>postgres</c> plugin (<c>[config:NAME]</c>): those of every SQL sink, and the schema.</summary>
public sealed class PostgresOptions() : SqlOptions(5432)
{
    [Option(Description = "the schema of targets that name none")]
    public string Schema { get; set; } = "public";

    [Option("create_table", Description = "create a dict target's table in the default layout when it does not exist (never for mapped columns or mqttwarn's list targets)")]
    public bool CreateTable { get; set; } = true;
}
