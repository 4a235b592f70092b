namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>postgres</c> plugin (<c>[config:NAME]</c>); the names are mqttwarn's.</summary>
public sealed class PostgresOptions : IValidatableOptions
{
    [Option(Description = "the server's host name or address")]
    public string Host { get; set; } = "localhost";

    [Option(Description = "the server's TCP port")]
    public int Port { get; set; } = 5432;

    [Option(Description = "the user to log in as")]
    public string? User { get; set; }

    [Option("pass", Description = "the user's password (masked in output)")]
    public string? Pass { get; set; }

    [Option(Description = "the database")]
    public string? Dbname { get; set; }

    [Option(Description = "the schema of targets that name none")]
    public string Schema { get; set; } = "public";

    [Option("create_table", Description = "create a dict target's table in the default layout when it does not exist (never for mapped columns or mqttwarn's list targets)")]
    public bool CreateTable { get; set; } = true;

    [Option("pool_size", Description = "the most connections the instance keeps open")]
    public int PoolSize { get; set; } = 4;

    [Option("command_timeout", Description = "seconds a statement (one batch's COPY) may take before it fails and is retried")]
    public int CommandTimeout { get; set; } = 60;

    public IEnumerable<OptionProblem> Validate()
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
