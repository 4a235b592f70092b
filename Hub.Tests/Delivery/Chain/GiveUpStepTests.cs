using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Delivery.Chain;

/// <summary>The give-up step alone: failover first, else the dead letters; done either way; reported once per episode.</summary>
public sealed class GiveUpStepTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger _log = new();
    private readonly TempDirectory _temp = new();
    private readonly TargetCounters _counters = new();
    private readonly List<QueuedItem> _done = [];

    public void Dispose() => _temp.Dispose();

    private GiveUpStep Step(IDeliveryStep inner, TargetHealth health) => new(inner, "svc", "t", health, _counters, _done.Add, _log);

    private static DeliveryAttempt GivenUp(string reason) => new(DeliveryResult.Threw, new TransientDeliveryException("HTTP 503")) { GaveUp = reason };

    [Fact]
    public async Task What_a_failover_target_takes_is_failed_over_and_done()
    {
        var taken = new List<(string Message, long Sequence, string Reason)>();
        var step = Step(new RecordingStep(_time, GivenUp("2 retries exhausted: HTTP 503")), new TargetHealth("svc:t", _log));
        step.Failover = (queued, reason) =>
        {
            taken.Add((queued.Item.Message, queued.JournalSequence, reason));
            return ValueTask.FromResult(true);
        };
        var call = new DeliveryCall([new QueuedItem(Some.Item("x"), _time.GetUtcNow()) { JournalSequence = 7 }], CancellationToken.None, CancellationToken.None);
        await step.SendAsync(call);

        Assert.Equal([("x", 0L, "2 retries exhausted: HTTP 503")], taken); // the failover target journals its own copy
        Assert.Equal(1, _counters.FailedOver);
        Assert.Equal(7, Assert.Single(_done).JournalSequence);
    }

    [Fact]
    public async Task What_no_failover_takes_becomes_a_dead_letter_and_the_target_is_reported_failing_once()
    {
        var store = new DeadLetterStore(_temp.Path, _time);
        var reports = new List<string>();
        var health = new TargetHealth("svc:t", _log);
        var step = Step(new RecordingStep(_time, GivenUp("a permanent failure: HTTP 400")), health);
        step.DeadLetters = store;
        step.Failing = reports.Add;
        await step.SendAsync(RecordingStep.Call(_time, "a"));
        await step.SendAsync(RecordingStep.Call(_time, "b"));

        Assert.Equal(2, _counters.Failed);
        Assert.Equal(2, _counters.DeadLettered);
        Assert.Equal(["a permanent failure: HTTP 400"], reports);
        Assert.Equal(2, _done.Count);
        Assert.Contains(_log.Records, r => r.Message.Contains("Notification not delivered: a permanent failure: HTTP 400. service=svc, target=t", StringComparison.Ordinal));

        health.OnSent(); // a new episode is reported again
        await step.SendAsync(RecordingStep.Call(_time, "c"));
        Assert.Equal(2, reports.Count);
    }

    [Fact]
    public async Task A_success_passes_through_untouched()
    {
        var step = Step(new RecordingStep(_time, DeliveryResult.Sent), new TargetHealth("svc:t", _log));
        Assert.Equal(DeliveryResult.Sent, (await step.SendAsync(RecordingStep.Call(_time))).Result);
        Assert.Empty(_done); // the queue marks delivered items done
        Assert.Equal(0, _counters.Failed);
    }
}
