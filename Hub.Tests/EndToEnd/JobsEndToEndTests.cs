using System.Globalization;
using System.Text.Json;
using Hub.Analytics.Jobs;
using Hub.History;
using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.EndToEnd;

/// <summary>
/// The jobs in a running hub on a real mosquitto: `hub jobs run` queues a profile job in the job store, the hub runs it,
/// the forecast chained after it publishes to kpi/forecast/..., and `hub jobs list|history` read the store.
/// </summary>
public sealed class JobsEndToEndTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_job_queued_from_the_command_line_runs_in_the_hub_and_its_chained_forecast_reaches_mosquitto()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        // Two weeks of an hourly series with a daily season and a rising trend, ending now.
        var now = DateTimeOffset.UtcNow;
        var start = now.AddHours(-24 * 14);
        using (var history = HistoryStore.Open(_temp.File("history.db")))
        {
            history.Write(Enumerable.Range(0, 24 * 14).Select(h => new HistoryPoint("plant/power", "value", "",
                start.AddHours(h).ToUnixTimeMilliseconds(), 100 + h + (10 * Math.Sin(2 * Math.PI * h / 24)))).ToList());
        }

        var ini = _temp.Write("hub.ini", $$"""
            [defaults]
            hostname = 127.0.0.1
            port = {{broker.Port}}
            launch = log
            plugins = '{{Repo.PluginDirectory}}'
            state_dir = {{_temp.File("state")}}

            [config:log]
            targets = {'info': ['info']}

            [history]
            path = {{_temp.File("history.db")}}

            [job:learn]
            kind = profile
            schedule = 0 0 3 * * ?
            timezone = Europe/Berlin
            series = plant/#
            window = 14d

            [job:predict]
            kind = forecast
            after = learn
            series = plant/power
            horizon = 1d
            above = {{(100 + (24 * 14) + 20).ToString(CultureInfo.InvariantCulture)}}
            """);
        await using var subscriber = await MosquittoClients.SubscribeAsync(broker, "kpi/forecast/#");
        await using var hub = await InProcessHub.StartAsync(ini);
        var predicted = hub.Runtime.Jobs!.WhenFinished(r => r.Job == "predict");

        var (code, output, error) = await CliRunner.RunAsync("--config", ini, "jobs", "run", "learn", "--wait", "60s");

        Assert.True(code == 0, output + error);
        Assert.Matches("learn succeeded in .*: 1 of 1 series profiled", output);
        var run = await predicted.WaitAsync(Timeout);
        Assert.True((run.State, run.Cause) == ("succeeded", "chain"), $"{run.State} {run.Cause}: {run.Error}");
        var message = await subscriber.ReadAsync(Timeout);
        Assert.StartsWith("kpi/forecast/plant/power/value ", message, StringComparison.Ordinal);
        using var forecast = JsonDocument.Parse(message[(message.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(24, forecast.RootElement.GetProperty("points").GetArrayLength());
        Assert.Equal(JsonValueKind.Object, forecast.RootElement.GetProperty("crossing").ValueKind);

        var profile = SeasonalProfileStore.Open(Path.Combine(_temp.File("state"), SeasonalProfileStore.FileName)).Find("plant/power#value");
        Assert.Equal((TimeSpan.FromDays(1), 24), (profile!.Period, profile.Mean.Length));

        (code, output, _) = await CliRunner.RunAsync("--config", ini, "jobs", "history");
        Assert.Equal(0, code);
        Assert.Matches(@"predict\s+chain\s+\S+\s+\S+.*succeeded\s+1 forecasts published, 1 crossing a threshold", output);
        Assert.Matches(@"learn\s+manual\s+.*succeeded", output);

        (code, output, _) = await CliRunner.RunAsync("--config", ini, "jobs", "list");
        Assert.Equal(0, code);
        Assert.Matches(@"learn\s+profile\s+0 0 3 \* \* \? \(Europe/Berlin\)\s+-\s+run_once\s+\d{4}-\d\d-\d\d \d\d:00:00Z\s+\S+ \S+ succeeded", output);
        Assert.Matches(@"predict\s+forecast\s+-\s+learn\s+run_once\s+-\s+", output);
    }
}
