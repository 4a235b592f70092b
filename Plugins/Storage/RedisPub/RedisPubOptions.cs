namespace Hub.Plugins.Storage;

/// <summary>Options of the <c>redispub</c> plugin (<c>[config:NAME]</c>): mqttwarn's <c>host</c> and <c>port</c>, plus a password.</summary>
public sealed class RedisPubOptions : IValidatableOptions
{
    [Option(Description = "the Redis server's host name")]
    public string Host { get; set; } = "localhost";

    [Option(Description = "the Redis server's port")]
    public int Port { get; set; } = 6379;

    [Option(Description = "the password (AUTH); never logged")]
    public string? Password { get; set; }

    public RedisOptions ForRedis() => new() { Host = Host, Port = Port, Password = Password };

    public IEnumerable<OptionProblem> Validate() => ForRedis().Validate();
}
