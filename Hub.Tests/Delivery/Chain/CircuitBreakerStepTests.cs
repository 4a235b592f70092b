using Hub.Delivery;
using Hub.Delivery.Chain;
using Hub.Plugins;
using Hub.Tests.Support;
using Polly.CircuitBreaker;

namespace Hub.Tests.Delivery.Chain;

/// <summary>The circuit breaker alone, on a fake clock: it opens on failures, spares the plugin while open, and closes after a good trial.</summary>
public sealed class CircuitBreakerStepTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly CollectingLogger _log = new();

    private CircuitBreakerStep Step(IDeliveryStep inner) => new(inner,
        new BreakerOptions { FailureRatio = 0.5, MinimumThroughput = 4, Sampling = TimeSpan.FromSeconds(30), BreakDuration = TimeSpan.FromSeconds(20) },
        "svc:t", _time, _log);

    [Fact]
    public async Task Enough_failures_open_the_circuit_and_attempts_then_fail_without_calling_the_plugin_until_the_break_ends()
    {
        var inner = new RecordingStep(_time, RecordingStep.Failure(new TransientDeliveryException("HTTP 503")));
        var step = Step(inner);
        for (var i = 0; i < 4; i++)
        {
            await step.SendAsync(RecordingStep.Call(_time));
        }

        _time.Advance(TimeSpan.FromSeconds(5));
        var rejected = await step.SendAsync(RecordingStep.Call(_time));

        Assert.Equal(4, inner.Calls.Count);
        Assert.IsType<BrokenCircuitException>(rejected.Failure);
        Assert.True(DeliveryPolicy.IsTransient(rejected.Failure));
        Assert.Equal(TimeSpan.FromSeconds(15), DeliveryPolicy.RetryAfterOf(rejected.Failure)); // the rest of the break: the retry step waits for it
        Assert.Contains(_log.Records, r => r.Message.Contains("Circuit of svc:t opens for 20 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_break_a_successful_trial_closes_the_circuit()
    {
        var failure = RecordingStep.Failure(new TransientDeliveryException("HTTP 503"));
        var inner = new RecordingStep(_time, failure, failure, failure, failure, DeliveryResult.Sent);
        var step = Step(inner);
        for (var i = 0; i < 4; i++)
        {
            await step.SendAsync(RecordingStep.Call(_time));
        }

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(DeliveryResult.Sent, (await step.SendAsync(RecordingStep.Call(_time))).Result);
        Assert.Equal(DeliveryResult.Sent, (await step.SendAsync(RecordingStep.Call(_time))).Result);
        Assert.Equal(6, inner.Calls.Count);
        Assert.Contains(_log.Records, r => r.Message.Contains("Circuit of svc:t closes again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Permanent_failures_do_not_open_it()
    {
        var inner = new RecordingStep(_time, RecordingStep.Failure(new PermanentDeliveryException("HTTP 400", 400)));
        var step = Step(inner);
        for (var i = 0; i < 6; i++)
        {
            await step.SendAsync(RecordingStep.Call(_time));
        }

        Assert.Equal(6, inner.Calls.Count);
    }
}
