using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Redis;

/// <summary>The redis and redispub plugins against Debian's redis-server, read back with redis-cli.</summary>
public sealed class RedisSinkTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private ChildServer Server => redis.Server;

    [Fact]
    public async Task Redispub_publishes_each_message_to_the_targets_channel_as_mqttwarn_does()
    {
        await using var subscriber = await RedisSubscriber.StartAsync(Server, "alerts");
        await using var sink = (IAsyncDisposable)Create("redispub");
        await ((ISink)sink).SendAsync(StorageItems.Item("boiler too hot", Some.List("alerts"), StorageItems.Recent()), CancellationToken.None);

        Assert.Equal("boiler too hot", await subscriber.NextAsync(Wait));
    }

    [Fact]
    public async Task A_batch_of_pushes_to_one_list_lands_in_order_with_rpush_and_reversed_with_lpush()
    {
        var right = Some.Dict(("command", "rpush"), ("key", "readings:{device}"));
        var left = Some.Dict(("command", "lpush"), ("key", "latest"));
        await using var sink = (IAsyncDisposable)Create("redis");
        var batch = Enumerable.Range(1, 5).Select(i => StorageItems.Item($"v{i}", right, StorageItems.Recent(), fields: ("device", "boiler")))
            .Concat(Enumerable.Range(1, 3).Select(i => StorageItems.Item($"w{i}", left, StorageItems.Recent())))
            .ToList();
        await ((IBatchSink)sink).SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal("v1\nv2\nv3\nv4\nv5", await RedisServer.CliAsync(Server, "LRANGE", "readings:boiler", "0", "-1"));
        Assert.Equal("w3\nw2\nw1", await RedisServer.CliAsync(Server, "LRANGE", "latest", "0", "-1"));
    }

    [Fact]
    public async Task A_list_with_maxlen_keeps_only_the_newest_values()
    {
        var target = Some.Dict(("command", "rpush"), ("key", "capped"), ("maxlen", 3L));
        await using var sink = (IAsyncDisposable)Create("redis");
        await ((IBatchSink)sink).SendBatchAsync([.. Enumerable.Range(1, 10).Select(i => StorageItems.Item($"{i}", target, StorageItems.Recent()))], CancellationToken.None);

        Assert.Equal("8\n9\n10", await RedisServer.CliAsync(Server, "LRANGE", "capped", "0", "-1"));
    }

    [Fact]
    public async Task Xadd_appends_stream_entries_with_fields_from_the_data_and_trims_to_maxlen()
    {
        var exact = Some.Dict(("command", "xadd"), ("key", "stream:boiler"), ("maxlen", 4L), ("approximate", false), ("fields", Some.List("temperature", "pressure")));
        var plain = Some.Dict(("command", "xadd"), ("key", "stream:plain"));
        await using var sink = (IAsyncDisposable)Create("redis");
        var items = Enumerable.Range(1, 6).Select(i => StorageItems.Item("{}", exact, StorageItems.Recent(), fields: [("temperature", 20L + i), ("pressure", 1.5)])).ToList();
        items.Add(StorageItems.Item("just text", plain, StorageItems.Recent()));
        await ((IBatchSink)sink).SendBatchAsync(items, CancellationToken.None);

        Assert.Equal("4", await RedisServer.CliAsync(Server, "XLEN", "stream:boiler"));
        var entries = (await RedisServer.CliAsync(Server, "XRANGE", "stream:boiler", "-", "+")).Split('\n');
        Assert.Equal(["temperature", "23", "pressure", "1.5"], entries[1..5]);
        Assert.Equal(["temperature", "26", "pressure", "1.5"], entries[^4..]);
        var plainEntry = (await RedisServer.CliAsync(Server, "XRANGE", "stream:plain", "-", "+")).Split('\n');
        Assert.Equal(["message", "just text"], plainEntry[1..]);
    }

    [Fact]
    public async Task Hset_stores_the_message_under_the_topic_and_set_expires_after_its_ttl()
    {
        var hash = Some.Dict(("command", "hset"), ("key", "state"));
        var latest = Some.Dict(("command", "set"), ("key", "last:{topic}"), ("ttl", 120L));
        await using var sink = (IAsyncDisposable)Create("redis");
        await ((IBatchSink)sink).SendBatchAsync(
        [
            StorageItems.Item("on", hash, StorageItems.Recent(), "home/lamp"),
            StorageItems.Item("off", hash, StorageItems.Recent(), "home/fan"),
            StorageItems.Item("on", hash, StorageItems.Recent(), "home/fan"),
            StorageItems.Item("21.5", latest, StorageItems.Recent(), "home/boiler"),
        ], CancellationToken.None);

        Assert.Equal("home/lamp\non\nhome/fan\non", await RedisServer.CliAsync(Server, "HGETALL", "state"));
        Assert.Equal("21.5", await RedisServer.CliAsync(Server, "GET", "last:home/boiler"));
        var ttl = int.Parse(await RedisServer.CliAsync(Server, "TTL", "last:home/boiler"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(ttl, 1, 120);
    }

    [Fact]
    public async Task A_command_the_server_refuses_is_permanent_and_a_server_that_is_down_transient()
    {
        await RedisServer.CliAsync(Server, "SET", "not-a-list", "x");
        await using var sink = (IAsyncDisposable)Create("redis");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            ((ISink)sink).SendAsync(StorageItems.Item("1", Some.Dict(("command", "rpush"), ("key", "not-a-list")), StorageItems.Recent()), CancellationToken.None).AsTask());
        DeliveryFailures.AssertPermanent(refused);
        Assert.Contains("WRONGTYPE", refused.Message);

        await using var down = (IAsyncDisposable)BuiltInPlugins.Create("redis", new TestPluginContext(Some.Dict(("host", "127.0.0.1"), ("port", (long)Loopback.ClosedPort()), ("timeout", 2L))));
        var failed = await Assert.ThrowsAnyAsync<Exception>(() =>
            ((ISink)down).SendAsync(StorageItems.Item("1", Some.List("ch"), StorageItems.Recent()), CancellationToken.None).AsTask());
        DeliveryFailures.AssertTransient(failed, null);
    }

    [Fact]
    public async Task Targets_bound_once_serve_every_message_and_batch_and_a_batch_is_split_by_its_bound_targets()
    {
        var first = Some.Dict(("command", "rpush"), ("key", "bound:first"));
        var second = Some.Dict(("command", "rpush"), ("key", "bound:second"));
        await using var sink = (IAsyncDisposable)Create("redis");
        var boundFirst = BuiltInPlugins.Bind((ISink)sink, first);
        var boundSecond = BuiltInPlugins.Bind((ISink)sink, second);

        // Every item carries the same descriptor, one no parser accepts: only the bound targets tell them apart.
        DeliveryItem Item(string message, object bound) => BuiltInPlugins.WithBinding(StorageItems.Item(message, first, StorageItems.Recent()), bound);
        await ((ISink)sink).SendAsync(Item("1", boundFirst), CancellationToken.None);
        await ((IBatchSink)sink).SendBatchAsync([Item("2", boundFirst), Item("3", boundFirst), Item("x", boundSecond), Item("4", boundFirst)], CancellationToken.None);

        Assert.Equal("1\n2\n3\n4", await RedisServer.CliAsync(Server, "LRANGE", "bound:first", "0", "-1"));
        Assert.Equal("x", await RedisServer.CliAsync(Server, "LRANGE", "bound:second", "0", "-1"));

        await using var subscriber = await RedisSubscriber.StartAsync(Server, "bound-alerts");
        await using var pub = (IAsyncDisposable)Create("redispub");
        var channel = BuiltInPlugins.Bind((ISink)pub, Some.List("bound-alerts"));
        await ((ISink)pub).SendAsync(BuiltInPlugins.WithBinding(StorageItems.Item("published", Some.List("bound-alerts"), StorageItems.Recent()), channel), CancellationToken.None);
        Assert.Equal("published", await subscriber.NextAsync(Wait));
    }

    [Fact]
    public void Targets_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("redis", Some.List("channel")));
        Assert.Empty(BuiltInPlugins.Validate("redis", Some.Dict(("command", "xadd"), ("key", "s"), ("maxlen", 100L))));
        Assert.Empty(BuiltInPlugins.Validate("redis", Some.Dict(("command", "set"), ("key", "k"), ("ttl", 60L))));
        Assert.Contains("'command' must be one of", Assert.Single(BuiltInPlugins.Validate("redis", Some.Dict(("command", "del"), ("key", "k")))));
        Assert.Contains("needs a 'key'", Assert.Single(BuiltInPlugins.Validate("redis", Some.Dict(("command", "set")))));
        Assert.Contains("'maxlen' applies to", Assert.Single(BuiltInPlugins.Validate("redis", Some.Dict(("command", "set"), ("key", "k"), ("maxlen", 5L)))));
        Assert.Contains("'ttl' must be", Assert.Single(BuiltInPlugins.Validate("redis", Some.Dict(("command", "set"), ("key", "k"), ("ttl", "soon")))));
        Assert.Contains("unknown key 'db'", Assert.Single(BuiltInPlugins.Validate("redis", Some.Dict(("key", "k"), ("db", 2L)))));
        Assert.NotEmpty(BuiltInPlugins.Validate("redispub", Some.List("a", "b")));

        var bad = BuiltInPlugins.Activate("redis", Some.Dict(("port", 0L), ("db", -1L)));
        Assert.Null(bad.Instance);
        Assert.Equal(["db", "port"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    private ISink Create(string name) => BuiltInPlugins.Create(name, new TestPluginContext(Some.Dict(("host", Server.Host), ("port", (long)Server.Port))));
}
