using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>The SQL fault test (<see cref="SqlRestartTest"/>) with PostgreSQL and the <c>postgres</c> sink: a fast shutdown under load.</summary>
public sealed class SqlServerRestartTests(ITestOutputHelper output) : SqlRestartTest(output, new PostgresServer())
{
    protected override string ServerName => "PostgreSQL";

    protected override string Service => "postgres";

    protected override string CreateTable => "CREATE TABLE stream (id text NOT NULL, topic text NOT NULL, seen timestamptz NOT NULL)";

    protected override string Shutdown => "fast shutdown";
}
