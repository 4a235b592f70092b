namespace Hub.Plugins.Common.Sql;

/// <summary>
/// The options every SQL server sink shares (<c>postgres</c>, <c>mysql</c>, <c>mysql_dynamic</c>, <c>mysql_remap</c>);
/// the names are mqttwarn's. Each plugin's options class adds its own and sets its port.
/// </summary>
public abstract class SqlOptions : IValidatableOptions
{
    /// <summary>Sets the server's usual port.</summary>
    protected SqlOptions(int port) => Port = port;

    [Option(Description = "the server's host name or address")]
    public string Host { get; set; } = "localhost";

    [Option(Description = "the server's TCP port")]
    public int Port { get; set; }

    [Option(Description = "the user to log in as")]
    public string? User { get; set; }

    [Option("pass", Description = "the user's password (masked in output)")]
    public string? Pass { get; set; }

    [Option(Description = "the database")]
    public string? Dbname { get; set; }

    [Option("pool_size", Description = "the most connections the instance keeps open")]
    public int PoolSize { get; set; } = 4;

    [Option("command_timeout", Description = "seconds a statement (one batch's write) may take before it fails and is retried")]
    public int CommandTimeout { get; set; } = 60;

    public virtual IEnumerable<OptionProblem> Validate()
    {
        if (Port is < 1 or > 65535)
        {
            yield return new OptionProblem("port", "must be a TCP port (1-65535)");
        }

        if (PoolSize < 1)
        {
            yield return new OptionProblem("pool_size", "must be at least 1");
        }

        if (CommandTimeout < 1)
        {
            yield return new OptionProblem("command_timeout", "must be at least 1 second");
        }
    }
}
