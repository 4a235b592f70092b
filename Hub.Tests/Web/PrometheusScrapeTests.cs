using System.Globalization;
using Hub.Tests.Support;

namespace Hub.Tests.Web;

/// <summary>A real Prometheus server scrapes the hub's /metrics and answers queries about it through its HTTP API.</summary>
public sealed class PrometheusScrapeTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Prometheus_scrapes_the_message_and_target_counters_with_the_bearer_token()
    {
        const string token = "prometheus-scrape-token";
        await using var hub = await InProcessHub.StartAsync(_temp.Write("hub.ini", WebConfigs.TwoTargets(_temp.Path, $"listen = 127.0.0.1:0\nauth_token = {token}")));
        await Condition.UntilAsync(() => hub.Runtime.IsConnected, Wait, "the hub's session connected");
        for (var i = 0; i < 3; i++)
        {
            await hub.PublishAsync("web/ok/p", $"m{i.ToString(CultureInfo.InvariantCulture)}");
        }

        await FileWait.LinesAsync(_temp.File("good.log"), 3, Wait);
        await using var prometheus = PrometheusServer.Start($"127.0.0.1:{hub.WebAddress.Port.ToString(CultureInfo.InvariantCulture)}", token);

        Assert.Equal(3, await prometheus.WaitForValueAsync("hub_messages_received", 3, Wait));
        Assert.Equal(3, await prometheus.WaitForValueAsync("hub_target_delivered{service=\"file\",target=\"good\"}", 3, Wait));
        Assert.Equal(1, await prometheus.WaitForValueAsync("up{job=\"hub\"}", 1, Wait));
        Assert.Equal(0, hub.Logs.Records.Count(r => r.Message.Contains("refused a request", StringComparison.Ordinal)));
    }
}
