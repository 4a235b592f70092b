using System.Net.Http.Headers;

namespace Hub.PluginHost;

/// <summary>The HTTP clients handed to plugins: one pooled handler for the process, the hub's User-Agent.</summary>
public static class HubHttp
{
    private static readonly SocketsHttpHandler Handler = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = System.Net.DecompressionMethods.All,
    };

    private static readonly ProductInfoHeaderValue UserAgent =
        new("hub", typeof(HubHttp).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    public static HttpClient CreateClient()
    {
        var client = new HttpClient(Handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(UserAgent);
        return client;
    }
}
