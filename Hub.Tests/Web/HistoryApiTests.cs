using System.Net;
using System.Text.Json;
using Hub.History;
using Hub.Tests.Support;

namespace Hub.Tests.Web;

/// <summary>/api/series and /api/query of a real Generic Host in this process, over a history recorded by the hub itself.</summary>
public sealed class HistoryApiTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();
    private readonly HttpClient _http = new() { Timeout = Wait };

    public void Dispose()
    {
        _http.Dispose();
        _temp.Dispose();
    }

    private string Ini(bool history) => WebConfigs.TwoTargets(_temp.Path, "listen = 127.0.0.1:0") + (history ? $$"""


        [history]
        path = '{{_temp.File("history.db")}}'
        flush_interval = 50ms

        [history:readings]
        topic = web/ok/#
        value = temp
        """ : "");

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(InProcessHub hub, string path)
    {
        using var response = await _http.GetAsync(new Uri(hub.WebAddress, path));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Series_and_query_answer_from_what_the_hub_recorded()
    {
        await using var hub = await InProcessHub.StartAsync(_temp.Write("hub.ini", Ini(history: true)));
        await Condition.UntilAsync(() => hub.Runtime.IsConnected, Wait, "the hub's session connected");
        await hub.PublishAsync("web/ok/kitchen", """{"temp": 20.5}""");
        await hub.PublishAsync("web/ok/kitchen", """{"temp": 22.5}""");

        JsonElement series = default;
        await Condition.UntilAsync(async () =>
        {
            var (status, body) = await GetAsync(hub, "/api/series?pattern=web/%23");
            series = body;
            return status == HttpStatusCode.OK && body.GetArrayLength() == 1 && body[0].GetProperty("last_value").GetDouble() == 22.5;
        }, Wait, "/api/series listing web/ok/kitchen#temp with its last value");
        Assert.Equal("web/ok/kitchen#temp", series[0].GetProperty("series").GetString());

        var (queryStatus, query) = await GetAsync(hub, "/api/query?series=web/ok/kitchen%23temp&from=1h&to=now&step=1h&agg=max");
        Assert.Equal(HttpStatusCode.OK, queryStatus);
        Assert.Equal("max", query.GetProperty("aggregate").GetString());
        Assert.Contains(query.GetProperty("points").EnumerateArray(), p => p[1].GetDouble() == 22.5);
    }

    [Fact]
    public async Task A_bad_query_is_a_400_with_the_reason_and_no_history_is_a_404()
    {
        await using (var hub = await InProcessHub.StartAsync(_temp.Write("hub.ini", Ini(history: true))))
        {
            using (var store = HistoryStore.Open(_temp.File("history.db")))
            {
                store.Write([new HistoryPoint("a/b", "value", "", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1)]);
            }

            var (status, body) = await GetAsync(hub, "/api/query?series=a/b%23value&agg=median");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("agg 'median'", body.GetProperty("error").GetString());
            (status, body) = await GetAsync(hub, "/api/query?from=later");
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        await using var bare = await InProcessHub.StartAsync(_temp.Write("hub.ini", Ini(history: false)));
        var (bareStatus, bareBody) = await GetAsync(bare, "/api/series");
        Assert.Equal(HttpStatusCode.NotFound, bareStatus);
        Assert.Contains("[history]", bareBody.GetProperty("error").GetString());
    }
}
