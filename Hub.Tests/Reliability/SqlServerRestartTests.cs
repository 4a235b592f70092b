using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>The SQL fault test (<see cref="SqlRestartTest"/>) with PostgreSQL and the <c>postgres</c> sink: a fast shutdown under load.</summary>
public sealed class SqlServerRestartTests(ITestOutputHelper output) : SqlRestartTest(output)
{
    private readonly PostgresServer _postgres = new();

    protected override string ServerName => "PostgreSQL";

    protected override string Service => "postgres";

    protected override string ConfigLines => _postgres.ConfigLines;

    protected override string CreateTable => "CREATE TABLE stream (id text NOT NULL, topic text NOT NULL, seen timestamptz NOT NULL)";

    protected override string Shutdown => "fast shutdown";

    protected override Task InitializeServerAsync() => _postgres.InitializeAsync();

    protected override Task DisposeServerAsync() => _postgres.DisposeAsync();

    protected override Task StopServerAsync() => _postgres.StopAsync();

    protected override Task StartServerAsync() => _postgres.StartAsync();

    protected override Task<string> QueryAsync(string sql) => _postgres.QueryAsync(sql);

    protected override Task<long> CountAsync(string sql) => _postgres.CountAsync(sql);
}
