using Hub.Config;
using Hub.Scheduling;
using Hub.Tests.Functions;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Scheduling;

public sealed class CronSchedulerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string Script = """
        using System.Threading;

        var ticks = 0;
        var gate = new SemaphoreSlim(0);

        void Tick(HookContext ctx) => ctx.Logger.LogInformation("tick {N}", ++ticks);
        void Fails(HookContext ctx) { ctx.Logger.LogInformation("fails run"); throw new InvalidOperationException("cron broke"); }
        async Task Blocking(HookContext ctx) { ctx.Logger.LogInformation("blocking start"); await gate.WaitAsync(); ctx.Logger.LogInformation("blocking end"); }
        void Open() => gate.Release();
        """;

    private readonly FunctionFiles _files = new();
    private readonly FakeTimeProvider _time = new();
    private CronScheduler? _scheduler;
    private HubConfig _config = null!;

    public Task InitializeAsync()
    {
        _files.Script(Script);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_scheduler is not null)
        {
            Open();
            await _scheduler.StopAsync(Wait);
        }

        _files.Dispose();
    }

    private void Start(string cron)
    {
        _config = _files.LoadValid(FunctionFiles.Header + "[cron]\n" + cron);
        _scheduler = new CronScheduler(_config.Functions, _time, _files.Log);
        _scheduler.Start();
    }

    private void Open()
    {
        var open = _config.Script!.Functions.Single(f => f.Name == "Open");
        open.Method.Invoke(open.Target, []);
    }

    private Task<(LogLevel Level, string Message)> Logged(string text) => _files.Log.WaitForAsync(e => e.Message == text, Wait);

    [Fact]
    public async Task A_job_first_runs_after_one_interval_then_every_interval()
    {
        Start("tick = 10\n");

        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(10), Wait);
        Assert.DoesNotContain(_files.Log.Messages(LogLevel.Information), m => m.StartsWith("tick", StringComparison.Ordinal));
        _time.Advance(TimeSpan.FromSeconds(10));
        await Logged("tick 1");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(10), Wait);
        _time.Advance(TimeSpan.FromSeconds(10));
        await Logged("tick 2");
    }

    [Fact]
    public async Task A_cron_expression_runs_at_its_times_in_its_time_zone()
    {
        // The fake clock starts at 2026-01-01 00:00 UTC; 09:00 in Berlin (UTC+1 in winter) is 08:00 UTC.
        Start("tick = 0 0 9 * * ?; tz=Europe/Berlin\n");

        await _time.WaitForTimerAsync(TimeSpan.FromHours(8), Wait);
        Assert.Contains("Scheduling Tick() at '0 0 9 * * ?' (Europe/Berlin)", _files.Log.Messages(LogLevel.Information));
        _time.Advance(TimeSpan.FromHours(8));
        await Logged("tick 1");
        await _time.WaitForTimerAsync(TimeSpan.FromDays(1), Wait);
        _time.Advance(TimeSpan.FromDays(1));
        await Logged("tick 2");
    }

    [Fact]
    public async Task With_now_true_the_first_run_is_at_start()
    {
        Start("tick = 2.5; now=true\n");

        await Logged("tick 1");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(2.5), Wait);
        _time.Advance(TimeSpan.FromSeconds(2.5));
        await Logged("tick 2");
    }

    [Fact]
    public async Task After_a_reload_a_job_with_now_true_does_not_run_again_but_continues_its_schedule()
    {
        Start("tick = 10; now=true\n");
        await Logged("tick 1");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(10), Wait);
        _time.Advance(TimeSpan.FromSeconds(4));

        await ReloadAsync(_config);

        // The next run is due 10 s after the first one ended: 6 s from now, not now.
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(6), Wait);
        Assert.Single(_files.Log.Messages(LogLevel.Information), m => m.StartsWith("tick", StringComparison.Ordinal));
        Assert.Contains("Scheduling Tick() every 10 s, continuing its schedule", _files.Log.Messages(LogLevel.Information));
        _time.Advance(TimeSpan.FromSeconds(6));
        await Logged("tick 2");
    }

    [Fact]
    public async Task A_job_new_in_the_reloaded_configuration_starts_as_at_hub_start()
    {
        Start("tick = 10; now=true\n");
        await Logged("tick 1");

        await ReloadAsync(_files.LoadValid(FunctionFiles.Header + "[cron]\ntick = 10; now=true\nfails = 10; now=true\n"));

        await _files.Log.WaitForAsync(e => e.Level == LogLevel.Error && e.Message.StartsWith("[cron] Fails() failed", StringComparison.Ordinal), Wait);
    }

    /// <summary>What a reload does with the schedulers: stops the running one, starts the new one where the old one left off.</summary>
    private async Task ReloadAsync(HubConfig config)
    {
        var previous = _scheduler!;
        await previous.StopAsync(Wait);
        var next = new CronScheduler(config.Functions, _time, _files.Log);
        next.ContinueFrom(previous);
        next.Start();
        _scheduler = next;
    }

    [Fact]
    public async Task An_exception_is_logged_and_the_schedule_continues()
    {
        Start("fails = 1; now=true\n");

        await _files.Log.WaitForAsync(e => e.Level == LogLevel.Error && e.Message == "[cron] Fails() failed: InvalidOperationException: cron broke", Wait);
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), Wait);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _files.Log.WaitForAsync(e => e.Level == LogLevel.Error && _files.Log.Messages(LogLevel.Error).Count() == 2, Wait);
    }

    [Fact]
    public async Task Runs_never_overlap_because_the_delay_starts_when_a_run_finishes()
    {
        Start("blocking = 1; now=true\n");

        await Logged("blocking start");
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(_files.Log.Messages(LogLevel.Information), m => m == "blocking start");

        Open();
        await Logged("blocking end");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), Wait);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _files.Log.WaitForAsync(_ => _files.Log.Messages(LogLevel.Information).Count(m => m == "blocking start") == 2, Wait);
    }
}
