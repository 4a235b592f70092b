using System.Text;
using Hub.Formatting;
using Hub.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary>
/// <c>hub test TOPIC PAYLOAD</c>: a dry run through the same router <c>hub run</c> uses: matching
/// sections, transformation data, filter verdict, and exactly what each target would receive; then each rule the
/// message reaches, with its value, derived values and verdict. Nothing is sent.
/// </summary>
internal static class TestCommand
{
    public static int Execute(string? configOption, string topic, string payload, bool retained, CliContext cli, Hub.Mqtt.MqttMessageProperties? properties = null)
    {
        if (ConfigSource.BuildGraph(configOption, cli) is not { Config: var config })
        {
            return ExitCodes.ConfigError;
        }

        var router = new MessageRouter(config, NullLogger.Instance, TimeProvider.System) { ExplainFallbacks = true };
        var outcomes = router.Route(topic, Encoding.UTF8.GetBytes(payload), retained, properties);
        var o = cli.Out;
        o.WriteLine($"Message: topic {topic}, {Encoding.UTF8.GetByteCount(payload)} bytes{(retained ? ", retained" : "")}");
        if (retained && config.Defaults.SkipRetained)
        {
            o.WriteLine("Skipped: the message is retained and skipretained is on.");
            return ExitCodes.Ok;
        }

        var problems = 0;
        if (outcomes.Count == 0)
        {
            o.WriteLine("No topic section matches this topic: nothing would be sent.");
        }

        foreach (var outcome in outcomes)
        {
            o.WriteLine();
            o.WriteLine($"[{outcome.Section.Name}] matches ({outcome.Section.Location})");
            o.WriteLine(outcome.Section.Filter is null ? "  filter:   none (the message passes)" : $"  filter:   {outcome.Section.Filter.Trim()} → {(outcome.Filtered ? "suppressed" : "passes")}");
            o.WriteLine("  data:");
            foreach (var (key, value) in outcome.Data)
            {
                o.WriteLine($"    {key} = {PyValue.Repr(value)}");
            }

            o.WriteLine($"  targets:  {(outcome.References.Count == 0 ? "(none)" : string.Join(", ", outcome.References))}");
            foreach (var item in outcome.Items)
            {
                var name = item.Target.Name is null ? item.Service.Name : $"{item.Service.Name}:{item.Target.Name}";
                o.WriteLine($"  -> {name}");
                o.WriteLine($"     title:    {item.Item.Title}");
                o.WriteLine($"     message:  {(item.Item.IsBinary ? $"({item.Item.MessageBytes.Length} bytes, binary)" : PyValue.Repr(item.Item.Message))}");
                o.WriteLine($"     priority: {item.Item.Priority}");
                if (item.Item.Image.Length > 0)
                {
                    o.WriteLine($"     image:    {item.Item.Image}");
                }
            }

            // mqttwarn delivers a field whose format failed as its default (the message as the payload); a dry run says so.
            foreach (var fallback in outcome.Fallbacks.Distinct(StringComparer.Ordinal))
            {
                problems++;
                o.WriteLine($"  error: {fallback}");
            }

            foreach (var note in outcome.Notes)
            {
                o.WriteLine($"  note: {note}");
            }

            foreach (var problem in outcome.Problems)
            {
                problems++;
                o.WriteLine($"  error: {problem}");
            }
        }

        problems += RuleTestOutput.Write(config, topic, payload, o);
        return problems == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }
}
