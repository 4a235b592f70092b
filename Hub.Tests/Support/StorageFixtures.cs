namespace Hub.Tests.Support;

/// <summary>One redis-server per test class (<c>IClassFixture&lt;RedisFixture&gt;</c>); tests use their own keys.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    public ChildServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One influxd per test class; tests use their own databases or measurements.</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    public InfluxServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InfluxServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>One carbon-cache per test class; tests use their own metric names.</summary>
public sealed class CarbonFixture : IAsyncLifetime
{
    public CarbonServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await CarbonServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
