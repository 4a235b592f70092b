namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>redis</c> and <c>redispub</c> plugins (<c>[config:NAME]</c>); mqttwarn's <c>host</c> and <c>port</c>.</summary>
public sealed class RedisOptions : IValidatableOptions
{
    [Option(Description = "the Redis server's host name")]
    public string Host { get; set; } = "localhost";

    [Option(Description = "the Redis server's port")]
    public int Port { get; set; } = 6379;

    [Option(Description = "the ACL user (Redis 6 and newer; none when unset)")]
    public string? Username { get; set; }

    [Option(Description = "the password (AUTH); never logged")]
    public string? Password { get; set; }

    [Option(Description = "the database number (SELECT)")]
    public int Db { get; set; }

    [Option(Description = "connect with TLS")]
    public bool Ssl { get; set; }

    [Option(Description = "seconds to wait for a connection, and for a reply to a batch, before the delivery counts as failed (and is retried)")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<OptionProblem> Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return new OptionProblem("host", "must not be empty");
        }

        if (Port is < 1 or > 65535)
        {
            yield return new OptionProblem("port", $"must be between 1 and 65535, not {Port}");
        }

        if (Db < 0)
        {
            yield return new OptionProblem("db", "must not be negative");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            yield return new OptionProblem("timeout", "must be positive");
        }
    }
}
