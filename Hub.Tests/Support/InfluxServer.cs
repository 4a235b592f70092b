using System.Globalization;
using System.Text.Json;

namespace Hub.Tests.Support;

/// <summary>
/// Debian's <c>influxd</c> (InfluxDB 1.6) with a generated configuration: HTTP and the RPC bind address on free
/// loopback ports, meta, data and WAL under its own directory, no reporting. <see cref="QueryAsync"/> reads back
/// with InfluxQL.
/// </summary>
public sealed class InfluxServer : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private InfluxServer(ChildServer server) => Server = server;

    public ChildServer Server { get; }

    public Uri BaseUrl => new($"http://{Server.Host}:{Server.Port.ToString(CultureInfo.InvariantCulture)}/");

    public static async Task<InfluxServer> StartAsync()
    {
        var directory = new TempDirectory();
        var port = ChildServer.FreePort();
        var rpc = ChildServer.FreePort();
        var config = directory.Write("influxdb.conf", $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{rpc.ToString(CultureInfo.InvariantCulture)}"
            [meta]
              dir = "{directory.File("meta")}"
            [data]
              dir = "{directory.File("data")}"
              wal-dir = "{directory.File("wal")}"
              query-log-enabled = false
            [http]
              bind-address = "127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"
              log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              enabled = false
            [subscriber]
              enabled = false
            """);
        var server = new InfluxServer(await ChildServer.StartAsync(ChildServer.Find("influxd", "influxdb"), ["run", "-config", config], port, directory));
        await Condition.UntilAsync(server.PingAsync, TimeSpan.FromSeconds(30), "influxd answers /ping");
        return server;
    }

    public async Task<bool> PingAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(BaseUrl, "ping"));
            return (int)response.StatusCode == 204;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Runs an InfluxQL statement that changes something (CREATE DATABASE, CREATE RETENTION POLICY).</summary>
    public async Task ExecuteAsync(string statement)
    {
        using var response = await _http.PostAsync(new Uri(BaseUrl, "query"), new FormUrlEncodedContent([new("q", statement)]));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode && !body.Contains("\"error\"", StringComparison.Ordinal), $"{statement}: {body}");
    }

    /// <summary>The rows of the first series an InfluxQL query returns (times in nanoseconds), each as column → value; none when it returns no series.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, JsonElement>>> QueryAsync(string database, string query)
    {
        var uri = new Uri(BaseUrl, $"query?db={Uri.EscapeDataString(database)}&epoch=ns&q={Uri.EscapeDataString(query)}");
        using var json = JsonDocument.Parse(await _http.GetStringAsync(uri));
        var result = json.RootElement.GetProperty("results")[0];
        Assert.False(result.TryGetProperty("error", out var error), $"{query}: {error}");
        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }

        var rows = new List<IReadOnlyDictionary<string, JsonElement>>();
        foreach (var one in series.EnumerateArray())
        {
            var columns = one.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            var tags = one.TryGetProperty("tags", out var t) ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()) : [];
            foreach (var values in one.GetProperty("values").EnumerateArray())
            {
                var row = new Dictionary<string, JsonElement>(tags);
                var i = 0;
                foreach (var value in values.EnumerateArray())
                {
                    row[columns[i++]] = value.Clone();
                }

                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>The number of points of a measurement (COUNT of one field).</summary>
    public async Task<long> CountAsync(string database, string measurement, string field)
    {
        var rows = await QueryAsync(database, $"SELECT COUNT(\"{field}\") FROM \"{measurement}\"");
        return rows.Count == 0 ? 0 : rows[0]["count"].GetInt64();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }
}
