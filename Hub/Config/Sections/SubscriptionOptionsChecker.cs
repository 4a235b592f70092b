namespace Hub.Config.Sections;

/// <summary>
/// Cross-checks the subscription keys of topic sections (docs/mqtt5.md): MQTT 5.0 options need <c>protocol = 5</c>,
/// <c>no_local</c> cannot go with <c>share</c>, and sections that share one subscription but ask for different
/// options are told which options the subscription gets.
/// </summary>
internal static class SubscriptionOptionsChecker
{
    private static readonly string[] Version5Keys = ["no_local", "retain_as_published", "retain_handling"];

    public static void Check(IReadOnlyList<TopicSection> sections, DefaultsOptions defaults, DiagnosticBag diagnostics)
    {
        foreach (var section in sections)
        {
            int Line(string key) => section.KeyLines.GetValueOrDefault(key, section.Location.Line);
            if (defaults.Protocol < 5)
            {
                foreach (var key in Version5Keys.Where(section.KeyLines.ContainsKey))
                {
                    diagnostics.Error(Line(key), section.Name, $"'{key}' is an MQTT 5.0 subscription option: it needs 'protocol = 5' in [defaults]");
                }
            }

            if (section.Share is not null && section.NoLocal == true)
            {
                diagnostics.Error(Line("no_local"), section.Name, "'no_local = True' is not allowed on a shared subscription ('share'): MQTT 5.0 makes it a protocol error");
            }
        }

        foreach (var mixed in sections.GroupBy(s => s.Topic, StringComparer.Ordinal).Where(g => g.Select(s => s.Share).Distinct().Count() > 1))
        {
            var first = mixed.First();
            diagnostics.Warning(first.Location.Line, first.Name,
                $"Sections on topic '{mixed.Key}' differ in 'share' ({string.Join(", ", mixed.Select(s => $"[{s.Name}]: {s.Share ?? "none"}"))}): "
                + "each becomes its own subscription, and a message that arrives through one is routed to all of them");
        }

        foreach (var group in sections.GroupBy(s => s.SubscriptionFilter, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var merged = Merge(group.Key, group.ToList());
            foreach (var section in group)
            {
                var differs = new List<string>();
                if ((section.NoLocal ?? false) != merged.NoLocal)
                {
                    differs.Add($"no_local = {merged.NoLocal}");
                }

                if ((section.RetainAsPublished ?? false) != merged.RetainAsPublished)
                {
                    differs.Add($"retain_as_published = {merged.RetainAsPublished}");
                }

                if ((section.RetainHandling ?? 0) != merged.RetainHandling)
                {
                    differs.Add($"retain_handling = {merged.RetainHandling}");
                }

                if (differs.Count > 0)
                {
                    diagnostics.Warning(section.Location.Line, section.Name,
                        $"Sections subscribing to '{group.Key}' share one subscription with different options: it uses {string.Join(", ", differs)}, "
                        + "so this section also gets the messages the other sections asked for");
                }
            }
        }
    }

    /// <summary>
    /// The one subscription for several sections with the same filter: the highest QoS; <c>no_local</c> only if every
    /// section asks for it; <c>retain_as_published</c> if any does; the lowest <c>retain_handling</c>. So no section
    /// misses a message it asked for (some get more than they asked for: <see cref="Check"/> warns).
    /// </summary>
    public static Mqtt.MqttSubscription Merge(string filter, IReadOnlyList<TopicSection> sections) => new(filter, sections.Max(s => s.Qos))
    {
        NoLocal = sections.All(s => s.NoLocal == true),
        RetainAsPublished = sections.Any(s => s.RetainAsPublished == true),
        RetainHandling = sections.Min(s => s.RetainHandling ?? 0),
    };
}
