using Hub.Plugins;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Plugins.Elasticsearch;

/// <summary>The elasticsearch plugin against a local bulk endpoint that checks the NDJSON shape and answers per document.</summary>
public sealed class ElasticSinkTests : IAsyncLifetime
{
    private FakeBulkApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeBulkApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_batch_is_one_bulk_request_into_indices_named_by_the_arrival_date_and_the_data()
    {
        var target = Some.List("Sensors-{room}-%Y.%m.%d");
        var first = new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero);
        await Sink().SendBatchAsync(
        [
            StorageItems.Item("""{"temperature": 21.5}""", target, first, "home/hall", ("room", "hall")),
            StorageItems.Item("not json", target, first.AddSeconds(2), "home/hall", ("room", "hall")),
        ], CancellationToken.None);

        Assert.Single(_api.Requests);
        var lastYear = Assert.Single(_api.Indices["sensors-hall-2026.12.31"].Values);
        Assert.Equal(21.5, lastYear["temperature"]!.GetValue<double>());
        Assert.Equal("2026-12-31T23:59:59.000000Z", lastYear["@timestamp"]!.GetValue<string>());
        var newYear = Assert.Single(_api.Indices["sensors-hall-2027.01.01"].Values);
        Assert.Equal(("home/hall", "not json"), (newYear["topic"]!.GetValue<string>(), newYear["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_batch_sent_again_replaces_its_documents_instead_of_adding_them_twice()
    {
        var batch = Enumerable.Range(0, 50).Select(i => StorageItems.Item($$"""{"n": {{i}}}""", Some.List("again"), StorageItems.Recent(i))).ToList();
        await Sink().SendBatchAsync(batch, CancellationToken.None);
        await Sink().SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal(50, _api.Indices["again"].Count);
    }

    [Fact]
    public async Task A_document_refused_for_now_fails_the_batch_and_its_retry_adds_only_what_was_missing()
    {
        var created = Some.Dict(("index", "partial"), ("id", "{n}"), ("op_type", "create"));
        var busy = true;
        _api.Refuse = doc => doc["n"]!.GetValue<int>() switch
        {
            1 => (400, "mapper_parsing_exception"),
            2 when busy => (429, "es_rejected_execution_exception"),
            _ => null,
        };
        var sink = Sink();
        var batch = Enumerable.Range(0, 4).Select(i => StorageItems.Item($$"""{"n": {{i}}}""", created, StorageItems.Recent(), fields: ("n", (long)i))).ToList();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendBatchAsync(batch, CancellationToken.None).AsTask());
        DeliveryFailures.AssertTransient(error, null);
        Assert.Contains("1 of 4 documents refused for now", error.Message);
        busy = false;
        await sink.SendBatchAsync(batch, CancellationToken.None);

        Assert.Equal(["0", "2", "3"], _api.Indices["partial"].Keys.Order());
    }

    [Fact]
    public async Task A_document_refused_for_good_is_logged_and_the_others_are_stored()
    {
        _api.Refuse = doc => doc.ContainsKey("bad") ? (400, "mapper_parsing_exception") : null;
        var context = new TestPluginContext(Some.Dict(("url", _api.BaseUrl)));
        var sink = (IBatchSink)BuiltInPlugins.Create("elasticsearch", context);
        await sink.SendBatchAsync(
        [
            StorageItems.Item("""{"bad": "x"}""", Some.List("mixed"), StorageItems.Recent(1)),
            StorageItems.Item("""{"good": 1}""", Some.List("mixed"), StorageItems.Recent()),
        ], CancellationToken.None);

        Assert.Single(_api.Indices["mixed"]);
        Assert.Contains(context.Log.Messages(LogLevel.Warning), m => m.Contains("refused (HTTP 400): mapper_parsing_exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Credentials_go_in_the_authorization_header_and_a_refused_request_is_permanent()
    {
        var sink = (IBatchSink)BuiltInPlugins.Create("elasticsearch", new TestPluginContext(Some.Dict(("url", _api.BaseUrl + "/"), ("api_key", "a2V5"))));
        await sink.SendAsync(StorageItems.Item("1", Some.List("keyed"), StorageItems.Recent()), CancellationToken.None);
        Assert.Equal("ApiKey a2V5", _api.Requests[^1].Header("Authorization"));

        var bad = await Assert.ThrowsAnyAsync<Exception>(() => sink.SendAsync(StorageItems.Item("1", Some.List("{missing}"), StorageItems.Recent()), CancellationToken.None).AsTask());
        DeliveryFailures.AssertPermanent(bad);
    }

    [Fact]
    public void Targets_and_options_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("elasticsearch", Some.List("hub-%Y.%m.%d")));
        Assert.Empty(BuiltInPlugins.Validate("elasticsearch", Some.Dict(("index", "hub"), ("id", "{device}"), ("op_type", "create"))));
        Assert.Contains("unknown date code '%Q'", Assert.Single(BuiltInPlugins.Validate("elasticsearch", Some.List("hub-%Q"))));
        Assert.Contains("does not allow", Assert.Single(BuiltInPlugins.Validate("elasticsearch", Some.List("a b"))));
        Assert.Contains("'op_type' must be", Assert.Single(BuiltInPlugins.Validate("elasticsearch", Some.Dict(("index", "x"), ("op_type", "delete")))));
        Assert.NotEmpty(BuiltInPlugins.Validate("elasticsearch", Some.List()));

        var bad = BuiltInPlugins.Activate("elasticsearch", Some.Dict(("url", "ftp://x"), ("api_key", "k"), ("username", "u")));
        Assert.Null(bad.Instance);
        Assert.Equal(["api_key", "url"], bad.Diagnostics.Select(d => d.Key).Order());
    }

    private IBatchSink Sink() => (IBatchSink)BuiltInPlugins.Create("elasticsearch", new TestPluginContext(Some.Dict(("url", _api.BaseUrl))));
}
