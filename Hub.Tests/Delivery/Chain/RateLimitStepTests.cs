using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>
/// The rate limit alone, on a fake clock: what it decides is when each attempt is granted (the inner step records the
/// clock when it is called), whatever the destination does with the request afterwards.
/// </summary>
public sealed class RateLimitStepTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly TargetCounters _counters = new();

    private TimeSpan Since(DateTimeOffset start, DateTimeOffset at) => at - start;

    [Fact]
    public async Task A_burst_of_count_goes_at_once_then_one_attempt_per_period_over_count()
    {
        var start = _time.GetUtcNow();
        var inner = new RecordingStep(_time);
        var step = new RateLimitStep(inner, new RateLimit(3, TimeSpan.FromMinutes(1)), _time, _counters);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DeliveryResult.Sent, (await step.SendAsync(RecordingStep.Call(_time))).Result);
        }

        var fourth = step.SendAsync(RecordingStep.Call(_time)).AsTask();
        Assert.False(fourth.IsCompleted, "granted without a token");
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(20), Wait);
        _time.Advance(TimeSpan.FromSeconds(20));
        await fourth.WaitAsync(Wait);
        var fifth = step.SendAsync(RecordingStep.Call(_time)).AsTask();
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(20), Wait);
        _time.Advance(TimeSpan.FromSeconds(20));
        await fifth.WaitAsync(Wait);

        Assert.Equal([0, 0, 0, 20, 40], inner.Calls.Select(at => Since(start, at).TotalSeconds));
        Assert.Equal(2, _counters.RateLimited);
    }

    [Fact]
    public async Task After_a_quiet_spell_the_full_burst_is_there_again()
    {
        var inner = new RecordingStep(_time);
        var step = new RateLimitStep(inner, new RateLimit(2, TimeSpan.FromSeconds(10)), _time, _counters);
        await step.SendAsync(RecordingStep.Call(_time));
        await step.SendAsync(RecordingStep.Call(_time));
        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(step.SendAsync(RecordingStep.Call(_time)).IsCompleted);
        Assert.True(step.SendAsync(RecordingStep.Call(_time)).IsCompleted);
        Assert.Equal(0, _counters.RateLimited);
    }

    [Fact]
    public async Task A_slow_destination_does_not_move_the_grants_of_later_attempts()
    {
        // 1/s, as in the end-to-end run: the first request takes 0.8 s to answer; the next is still granted at 1 s, not 1.8 s.
        var start = _time.GetUtcNow();
        var inner = new RecordingStep(_time);
        var step = new RateLimitStep(inner, new RateLimit(1, TimeSpan.FromSeconds(1)), _time, _counters);
        var answer = new TaskCompletionSource();
        inner.Hold = answer.Task;
        var first = step.SendAsync(RecordingStep.Call(_time, "a")).AsTask();
        await inner.NextCallAsync(Wait);
        _time.Advance(TimeSpan.FromMilliseconds(800));
        inner.Hold = null;
        answer.SetResult();
        await first.WaitAsync(Wait);

        var second = step.SendAsync(RecordingStep.Call(_time, "b")).AsTask();
        var third = second.ContinueWith(_ => step.SendAsync(RecordingStep.Call(_time, "c")).AsTask(), TaskScheduler.Default).Unwrap();
        await _time.WaitForTimerAsync(TimeSpan.FromMilliseconds(200), Wait);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        await second.WaitAsync(Wait);
        await _time.WaitForTimerAsync(TimeSpan.FromSeconds(1), Wait);
        _time.Advance(TimeSpan.FromSeconds(1));
        await third.WaitAsync(Wait);

        Assert.Equal([0, 1000, 2000], inner.Calls.Select(at => Since(start, at).TotalMilliseconds));
    }
}
