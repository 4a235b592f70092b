namespace Hub.Tests.Support;

/// <summary>A real SQL server started by a test (<see cref="PostgresServer"/>, <see cref="MariaDbServer"/>), for tests that run with either.</summary>
public interface ISqlTestServer : IAsyncLifetime
{
    /// <summary>The sink's connection options for this server, one <c>key = value</c> per line.</summary>
    string ConfigLines { get; }

    /// <summary>Starts the server again on the same port and data.</summary>
    Task StartAsync();

    /// <summary>Stops the server and waits for it.</summary>
    Task StopAsync();

    /// <summary>Runs SQL with the server's own client; returns its output (rows on lines, columns separated).</summary>
    Task<string> QueryAsync(string sql);

    /// <summary>The number the query returns.</summary>
    Task<long> CountAsync(string sql);
}
