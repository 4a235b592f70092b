namespace Hub.Config.Sections;

/// <summary>
/// Checks the static target references of topic sections against the launched services. Unknown services and
/// targets are warnings (mqttwarn's shipped examples contain them on purpose); <c>a:b:c</c> is an error.
/// Templated references (<c>log:{level}</c>) are only known per message, so they are not checked here.
/// </summary>
internal static class TargetReferenceChecker
{
    public static void Check(TopicSection section, IReadOnlyList<ServiceConfig> services, DiagnosticBag diagnostics)
    {
        var references = section.Targets switch
        {
            TargetList list => list.References,
            TargetDispatch dispatch => dispatch.Entries.SelectMany(e => e.Value).ToList(),
            _ => [],
        };
        var line = TargetsLine(section);
        foreach (var reference in references.Where(r => !r.Contains('{', StringComparison.Ordinal)))
        {
            var parts = reference.Split(':');
            if (parts.Length > 2)
            {
                diagnostics.Error(line, section.Name, $"Invalid topic target: {reference}. Should be 'service:target'.");
                continue;
            }

            var service = services.FirstOrDefault(s => s.Name == parts[0]);
            if (service is null)
            {
                diagnostics.Warning(line, section.Name, $"Topic '{section.Name}' points to non-existing service '{parts[0]}'");
            }
            else if (parts.Length == 2 && service.FindTarget(parts[1]) is null)
            {
                diagnostics.Warning(line, section.Name, $"Topic '{section.Name}' points to non-existing target '{parts[1]}' in service '{parts[0]}'");
            }
        }
    }

    /// <summary>The route's <c>failover</c> and <c>format.X</c>/<c>title.X</c> references: unknown ones are warnings at their line.</summary>
    public static void CheckRouteKeys(TopicSection section, IReadOnlyList<ServiceConfig> services, DiagnosticBag diagnostics)
    {
        var references = section.Failover.Select(r => ("failover", r))
            .Concat(section.Overrides.Keys.SelectMany(r => new[] { ("format." + r.Replace(':', '.'), r), ("title." + r.Replace(':', '.'), r) }).Where(k => section.KeyLines.ContainsKey(k.Item1)));
        foreach (var (key, reference) in references)
        {
            var line = section.KeyLines.GetValueOrDefault(key, section.Location.Line);
            var parts = reference.Split(':');
            var service = services.FirstOrDefault(s => s.Name == parts[0]);
            if (service is null)
            {
                diagnostics.Warning(line, section.Name, $"'{key}' names non-existing service '{parts[0]}'");
            }
            else if (parts.Length == 2 && service.FindTarget(parts[1]) is null)
            {
                diagnostics.Warning(line, section.Name, $"'{key}' names non-existing target '{parts[1]}' in service '{parts[0]}'");
            }
        }
    }

    private static int TargetsLine(TopicSection section) => section.TargetsLocation?.Line ?? section.Location.Line;
}
