using System.Globalization;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>The SQL fault test (<see cref="SqlRestartTest"/>) with MariaDB and the <c>mysql</c> sink: a clean shutdown (SIGTERM) under load.</summary>
public sealed class MariaDbRestartTests(ITestOutputHelper output) : SqlRestartTest(output)
{
    private readonly MariaDbServer _mariadb = new();

    protected override string ServerName => "MariaDB";

    protected override string Service => "mysql";

    protected override string ConfigLines =>
        $"host = '{_mariadb.Host}'\nport = {_mariadb.Port.ToString(CultureInfo.InvariantCulture)}\nuser = 'root'\ndbname = '{_mariadb.Database}'";

    protected override string CreateTable => "CREATE TABLE stream (id VARCHAR(20) NOT NULL, topic VARCHAR(50) NOT NULL, seen DATETIME(6) NOT NULL)";

    protected override string Shutdown => "SIGTERM";

    protected override Task InitializeServerAsync() => _mariadb.InitializeAsync();

    protected override Task DisposeServerAsync() => _mariadb.DisposeAsync();

    protected override Task StopServerAsync() => _mariadb.StopAsync();

    protected override Task StartServerAsync() => _mariadb.StartAsync();

    protected override Task<string> QueryAsync(string sql) => _mariadb.QueryAsync(sql);

    protected override Task<long> CountAsync(string sql) => _mariadb.CountAsync(sql);
}
