using System.Text;
using Hub.Pipeline;
using Hub.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Reliability;

/// <summary>Every input the router refuses or repairs is logged once with its reason and counted by kind.</summary>
public sealed class RejectedInputCountTests
{
    private readonly CollectingLogger _log = new();

    [Fact]
    public void Invalid_utf8_empty_messages_and_failing_formats_are_each_logged_once_and_counted()
    {
        var config = new TestConfig()
            .Service("log", ("info", Some.List("info")))
            .Section("plain/#", TestConfig.Targets("log:info"))
            .Section("formatted/#", TestConfig.Targets("log:info"), format: "{missing} {value:.1f}", title: "{nope}", priority: "{value}")
            .Section("templated/#", TestConfig.Targets("log:{level}"))
            .Build();
        var router = new MessageRouter(config, _log, TimeProvider.System);

        router.Route("plain/utf8", new byte[] { (byte)'a', 0xFF, (byte)'b' }, false);
        router.Route("plain/empty", ReadOnlyMemory<byte>.Empty, false);
        router.Route("formatted/x", Encoding.UTF8.GetBytes("""{"value": "text"}"""), false);
        router.Route("templated/x", Encoding.UTF8.GetBytes("""{"other": 1}"""), false);
        router.Route("plain/fine", "fine"u8.ToArray(), false);

        Assert.Equal(1, router.Counters.InvalidUtf8);
        Assert.Equal(1, router.Counters.EmptySuppressed);
        Assert.Single(_log.Messages(LogLevel.Warning), m => m.Contains("not valid UTF-8", StringComparison.Ordinal));
        Assert.Single(_log.Messages(LogLevel.Information), m => m.Contains("Payload is empty", StringComparison.Ordinal));

        // format, title and priority of one message, and one templated target: four failures, four lines.
        var formatErrors = _log.Messages(LogLevel.Error).ToList();
        Assert.Equal(formatErrors.Count, router.Counters.FormatFailures);
        Assert.Equal(4, router.Counters.FormatFailures);
        Assert.Equal(0, router.Counters.FunctionFailures);
    }
}
