using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>mysql</c> plugin (<c>[config:NAME]</c>): those of every SQL sink; <c>dbname</c> is also the database of targets that name none.</summary>
public sealed class MysqlOptions() : SqlOptions(3306)
{
    [Option("create_table", Description = "create a dict target's table in the default layout when it does not exist (never for mapped columns or mqttwarn's list targets)")]
    public bool CreateTable { get; set; } = true;
}
