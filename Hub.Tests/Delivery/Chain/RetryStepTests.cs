using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>The retry step alone, on a fake clock: when it retries, what it honours, and why it stops.</summary>
public sealed class RetryStepTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly TargetCounters _counters = new();
    private readonly CollectingLogger _log = new();

    private RetryStep Step(IDeliveryStep inner, int retries = 3, TimeSpan? maxAge = null) =>
        new(inner, new DeliveryPolicy { Retries = retries, Backoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromMinutes(1), MaxAge = maxAge ?? TimeSpan.FromHours(1) },
            "svc:t", _time, () => 1.0, new TargetHealth("svc:t", _log), _counters, _log);

    private async Task AdvanceAsync(TimeSpan by)
    {
        await _time.WaitForTimerAsync(by, Wait);
        _time.Advance(by);
    }

    [Fact]
    public async Task Transient_failures_are_retried_after_1_then_2_seconds_and_the_success_is_returned()
    {
        var start = _time.GetUtcNow();
        var transient = RecordingStep.Failure(new TransientDeliveryException("HTTP 503"));
        var inner = new RecordingStep(_time, transient, transient, DeliveryResult.Sent);
        var sending = Step(inner).SendAsync(RecordingStep.Call(_time)).AsTask();
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(DeliveryResult.Sent, (await sending.WaitAsync(Wait)).Result);
        Assert.Equal([0, 1, 3], inner.Calls.Select(at => (at - start).TotalSeconds));
        Assert.Equal(2, _counters.Retried);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_backoff_is_waited_for()
    {
        var start = _time.GetUtcNow();
        var inner = new RecordingStep(_time, RecordingStep.Failure(new TransientDeliveryException("HTTP 429", TimeSpan.FromSeconds(30))), DeliveryResult.Sent);
        var sending = Step(inner).SendAsync(RecordingStep.Call(_time)).AsTask();
        await AdvanceAsync(TimeSpan.FromSeconds(30));

        await sending.WaitAsync(Wait);
        Assert.Equal(30, (inner.Calls.Last() - start).TotalSeconds);
    }

    [Fact]
    public async Task A_permanent_failure_is_given_up_at_once_with_its_reason()
    {
        var inner = new RecordingStep(_time, RecordingStep.Failure(new PermanentDeliveryException("HTTP 400: bad channel", 400)));
        var result = await Step(inner).SendAsync(RecordingStep.Call(_time));

        Assert.Equal("a permanent failure: HTTP 400: bad channel", result.GaveUp);
        Assert.Single(inner.Calls);
    }

    [Fact]
    public async Task Exhausted_retries_say_so()
    {
        var inner = new RecordingStep(_time, RecordingStep.Failure(new HttpRequestException("Connection refused")));
        var sending = Step(inner, retries: 1).SendAsync(RecordingStep.Call(_time)).AsTask();
        await AdvanceAsync(TimeSpan.FromSeconds(1));

        Assert.Equal("1 retries exhausted: Connection refused", (await sending.WaitAsync(Wait)).GaveUp);
        Assert.Equal(2, inner.Calls.Count);
    }

    [Fact]
    public async Task Draining_cuts_the_wait_short_for_one_last_attempt()
    {
        using var draining = new CancellationTokenSource();
        var inner = new RecordingStep(_time, RecordingStep.Failure(new TransientDeliveryException("HTTP 503")));
        var sending = Step(inner).SendAsync(RecordingStep.Call(_time, draining: draining.Token)).AsTask();
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), Wait);
        await draining.CancelAsync();

        Assert.Equal("the hub is stopping: HTTP 503", (await sending.WaitAsync(Wait)).GaveUp);
        Assert.Equal(2, inner.Calls.Count);
        Assert.Equal(_time.GetUtcNow(), inner.Calls.Last()); // no time passed: the last attempt did not wait
    }
}
