using Hub.Analytics;
using Hub.Analytics.Rules;
using Hub.Config;
using Hub.Mqtt;
using Microsoft.Extensions.Logging;

namespace Hub.Pipeline;

/// <summary>
/// The rules of the running hub: each message a rule's topic matches is evaluated on its route worker (never on the
/// socket) and the verdicts go to the alarm lifecycle. A reload keeps the evaluator, and so every key's derived values,
/// while the rules are unchanged.
/// </summary>
internal sealed class RuleRunner(IReadOnlyList<RuleSection> rules, IRuleEvaluator evaluator, IAlarmLifecycle lifecycle, TimeProvider time, ILogger logger)
{
    private long evaluated;
    private long errors;

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<RuleSection> Rules { get; } = rules;

    public IRuleEvaluator Evaluator { get; } = evaluator;

    public IAlarmLifecycle Lifecycle { get; } = lifecycle;

    /// <summary>Verdicts handed to the lifecycle so far, and how many of them were errors (a value that could not be read).</summary>
    public long Evaluated => Interlocked.Read(ref evaluated);

    public long Errors => Interlocked.Read(ref errors);

    /// <summary>A runner for <paramref name="config"/>, or null when it has no rules.</summary>
    public static RuleRunner? Create(HubConfig config, IAlarmLifecycle lifecycle, ISeasonalProfiles? profiles, TimeProvider time, ILogger logger) =>
        config.Rules.Count == 0 ? null : new RuleRunner(config.Rules, new RuleEvaluator(config.Rules.Select(r => r.Options), profiles), lifecycle, time, logger);

    /// <summary>This runner when <paramref name="config"/> has the same rules (reload), else a new one.</summary>
    public static RuleRunner? Next(RuleRunner? current, HubConfig config, IAlarmLifecycle lifecycle, ISeasonalProfiles? profiles, TimeProvider time, ILogger logger) =>
        current is not null && current.Lifecycle == lifecycle && Signature(current.Rules) == Signature(config.Rules)
            ? current
            : Create(config, lifecycle, profiles, time, logger);

    /// <summary>The rules' topics no topic section subscribes to already: the hub subscribes to them as well (QoS 0).</summary>
    public static IEnumerable<MqttSubscription> Subscriptions(HubConfig config) =>
        config.Rules.Select(r => r.Options.Topic)
            .Distinct(StringComparer.Ordinal)
            .Where(topic => !config.Sections.Any(s => s.SubscriptionFilter == topic))
            .Select(topic => new MqttSubscription(topic, 0));

    /// <summary>Evaluates one message; a failure is logged and counted, and the hub goes on.</summary>
    public void OnMessage(string topic, ReadOnlyMemory<byte> payload)
    {
        try
        {
            foreach (var verdict in Evaluator.Evaluate(topic, payload, time.GetUtcNow()))
            {
                Interlocked.Increment(ref evaluated);
                if (verdict.Error is not null)
                {
                    Interlocked.Increment(ref errors);
                    logger.LogDebug("Rule {Rule}, key {Key}: {Error}", verdict.Rule, verdict.Key, verdict.Error);
                }

                Lifecycle.Observe(verdict);
            }
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref errors);
            logger.LogError(ex, "Evaluating the rules on {Topic} failed", topic);
        }
    }

    private static string Signature(IEnumerable<RuleSection> rules) =>
        string.Join('\n', rules.Select(r => string.Join('\u001f', r.Options.Keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key}={k.Value.Value}"))));
}
