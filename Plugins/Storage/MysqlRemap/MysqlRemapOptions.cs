using Hub.Plugins.Common.Sql;

namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>mysql_remap</c> plugin (<c>[config:NAME]</c>): those of every SQL sink.</summary>
public sealed class MysqlRemapOptions() : SqlOptions(3306);
