using System.Text.RegularExpressions;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.InfluxDb;

/// <summary>
/// The influxdb plugin's v2 API (InfluxDB 2.x/3.x, Cloud) against a local server that answers as
/// <c>POST /api/v2/write</c> does: org, bucket and precision in the query, a token, a line protocol body.
/// </summary>
public sealed partial class InfluxV2SinkTests : IAsyncLifetime
{
    private FakeHttpApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeHttpApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task A_batch_is_one_write_with_org_bucket_precision_and_the_token()
    {
        _api.On("POST", "/api/v2/write", Check);
        var arrived = StorageItems.Recent();
        await Sink().SendBatchAsync(
        [
            StorageItems.Item("21.5", Some.List("temp"), arrived, "home/boiler"),
            StorageItems.Item("x", Some.Dict(("measurement", "climate"), ("bucket", "sensors"), ("fields", Some.List("hum"))), arrived, "home/hall", ("hum", 40L)),
        ], CancellationToken.None);

        var request = Assert.Single(_api.Requests);
        Assert.Equal("?org=my%20org&bucket=sensors&precision=ms", request.Query);
        Assert.Equal("Token s3cr3t", request.Header("Authorization"));
        Assert.StartsWith("text/plain", request.Header("Content-Type"));
        var ms = arrived.ToUnixTimeMilliseconds();
        Assert.Equal($"temp,topic=home_boiler value=21.5 {ms}\nclimate,topic=home_hall hum=40 {ms}", request.BodyText);
    }

    [Fact]
    public async Task A_refused_token_is_permanent_and_a_busy_server_transient_after_its_retry_after()
    {
        _api.On("POST", "/api/v2/write",
            FakeHttpResponse.Json("""{"code":"unauthorized","message":"unauthorized access"}""", 401),
            FakeHttpResponse.Json("""{"code":"too many requests","message":"org exceeded its write limit"}""", 429) with { Headers = new Dictionary<string, string> { ["Retry-After"] = "30" } });
        var item = StorageItems.Item("1", Some.List("m"), StorageItems.Recent());

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(item, CancellationToken.None).AsTask());
        DeliveryFailures.AssertPermanent(refused);
        Assert.Contains("unauthorized access", refused.Message);
        Assert.DoesNotContain("s3cr3t", refused.Message);
        var busy = await Assert.ThrowsAnyAsync<Exception>(() => Sink().SendAsync(item, CancellationToken.None).AsTask());
        DeliveryFailures.AssertTransient(busy, TimeSpan.FromSeconds(30));
    }

    /// <summary>What InfluxDB's v2 write endpoint checks before it takes a body.</summary>
    private static FakeHttpResponse Check(FakeHttpRequest request)
    {
        if (request.Header("Authorization") is not { } auth || !auth.StartsWith("Token ", StringComparison.Ordinal))
        {
            return FakeHttpResponse.Json("""{"code":"unauthorized","message":"unauthorized access"}""", 401);
        }

        var query = System.Web.HttpUtility.ParseQueryString(request.Query);
        if (string.IsNullOrEmpty(query["org"]) || string.IsNullOrEmpty(query["bucket"]) || query["precision"] is not ("ns" or "us" or "ms" or "s"))
        {
            return FakeHttpResponse.Json("""{"code":"invalid","message":"org, bucket and precision are required"}""", 400);
        }

        return request.BodyText.Split('\n').All(l => Line().IsMatch(l))
            ? FakeHttpResponse.Text("", 204)
            : FakeHttpResponse.Json("""{"code":"invalid","message":"unable to parse"}""", 400);
    }

    private IBatchSink Sink() => (IBatchSink)BuiltInPlugins.Create("influxdb", new TestPluginContext(Some.Dict(
        ("api", "v2"), ("url", _api.BaseUrl), ("org", "my org"), ("bucket", "sensors"), ("token", "s3cr3t"), ("precision", "ms"))));

    [GeneratedRegex(@"^[^ ,]+(,[^ ,=]+=[^ ,]+)* [^ ]+=[^ ]+ \d+$")]
    private static partial Regex Line();
}
