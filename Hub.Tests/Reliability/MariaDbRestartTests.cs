using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>The SQL fault test (<see cref="SqlRestartTest"/>) with MariaDB and the <c>mysql</c> sink: a clean shutdown (SIGTERM) under load.</summary>
public sealed class MariaDbRestartTests(ITestOutputHelper output) : SqlRestartTest(output, new MariaDbServer())
{
    protected override string ServerName => "MariaDB";

    protected override string Service => "mysql";

    protected override string CreateTable => "CREATE TABLE stream (id VARCHAR(20) NOT NULL, topic VARCHAR(50) NOT NULL, seen DATETIME(6) NOT NULL)";

    protected override string Shutdown => "SIGTERM";
}
