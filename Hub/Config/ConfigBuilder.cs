using Hub.Config.Ini;
using Hub.Config.Sections;
using Hub.Config.Values;
using Hub.Functions;
using Hub.Functions.Templates;

namespace Hub.Config;

/// <summary>Turns a read INI document into a validated <see cref="HubConfig"/>: expand, classify, read, cross-check.</summary>
internal static class ConfigBuilder
{
    public static HubConfig Build(IniDocument document, string fullPath, string configDirectory, DiagnosticBag diagnostics)
    {
        PrepareValues(document, configDirectory, diagnostics);
        var defaultsSection = document.Find(DefaultsReader.SectionName);
        var defaults = DefaultsReader.Read(defaultsSection, configDirectory, diagnostics);
        var broker = BrokerReader.Read(document.Find(BrokerReader.SectionName), defaults, configDirectory, diagnostics);
        var web = WebReader.Read(document.Find(WebReader.SectionName), configDirectory, diagnostics);
        var services = ReadLaunchedServices(document, defaults, defaultsSection, configDirectory, diagnostics);
        var sections = new List<TopicSection>();
        TopicSection? failover = null;
        var cron = new List<CronEntry>();
        foreach (var section in document.Sections)
        {
            if (section.Name is DefaultsReader.SectionName or BrokerReader.SectionName or WebReader.SectionName || section.Name.StartsWith(ServiceReader.SectionPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (HistoryConfigReader.Owns(section.Name) || JobReader.Owns(section.Name) || RuleReader.Owns(section.Name))
            {
                continue;
            }

            if (section.Name == CronReader.SectionName)
            {
                cron.AddRange(CronReader.Read(section, diagnostics));
                continue;
            }

            var topicSection = TopicSectionReader.Read(section, diagnostics);
            if (topicSection is null)
            {
                continue;
            }

            TargetReferenceChecker.Check(topicSection, services, diagnostics);
            TargetReferenceChecker.CheckRouteKeys(topicSection, services, diagnostics);
            if (section.Name == TopicSectionReader.FailoverName)
            {
                failover = topicSection;
            }
            else
            {
                sections.Add(topicSection);
            }
        }

        SubscriptionOptionsChecker.Check(sections, defaults, diagnostics);
        var rules = RuleReader.Read(document, diagnostics);
        foreach (var route in rules.Select(r => r.Route).OfType<TopicSection>())
        {
            TargetReferenceChecker.Check(route, services, diagnostics);
        }

        var script = UserFunctionFile.Load(defaults, defaultsSection, sections.Append(failover).OfType<TopicSection>(), cron, diagnostics);
        return new HubConfig
        {
            Script = script,
            Templates = LoadTemplates(sections.Append(failover).OfType<TopicSection>(), configDirectory, diagnostics),
            FilePath = fullPath,
            Defaults = defaults,
            Broker = broker,
            Web = web,
            // With the broker on and no hostname of its own, the hub's client attaches to it in-process.
            BrokerInProcess = broker is not null && defaultsSection?.Find("hostname") is null,
            Services = services,
            Sections = sections,
            Failover = failover,
            Cron = cron,
            Jobs = JobReader.ReadAll(document, diagnostics),
            History = HistoryConfigReader.Read(document, defaults, configDirectory, diagnostics),
            Rules = rules,
            Warnings = diagnostics.ToList().Where(d => !d.IsError).ToList(),
        };
    }

    /// <summary>
    /// Compiles each named template once. A missing file is a warning (rendering then keeps the message, as in
    /// mqttwarn); a template that does not compile is an error at its own line, naming the INI line that uses it.
    /// </summary>
    private static Dictionary<TopicSection, TemplateRenderer> LoadTemplates(IEnumerable<TopicSection> sections, string configDirectory, DiagnosticBag diagnostics)
    {
        var templates = new Dictionary<TopicSection, TemplateRenderer>();
        foreach (var section in sections.Where(s => s.Template is not null))
        {
            var template = TemplateRenderer.Load(section.Template!, configDirectory);
            var line = section.KeyLines.GetValueOrDefault("template", section.Location.Line);
            if (template.Path is null)
            {
                diagnostics.Warning(line, section.Name, $"template '{template.Name}' cannot be rendered: {template.Problem}");
            }

            foreach (var problem in template.Problems)
            {
                var message = $"{problem.Message} (template = {template.Name} in [{section.Name}], {diagnostics.File}:{line})";
                if (problem.IsError)
                {
                    diagnostics.ErrorIn(template.Path!, problem.Line, message);
                }
                else
                {
                    diagnostics.WarningIn(template.Path!, problem.Line, message);
                }
            }

            templates[section] = template;
        }

        return templates;
    }

    /// <summary>Inline comments (hub sections only), then variables, then <c>[DEFAULT]</c> fallbacks (expanded once).</summary>
    private static void PrepareValues(IniDocument document, string configDirectory, DiagnosticBag diagnostics)
    {
        foreach (var section in document.Sections)
        {
            var stripComments = section.Name is DefaultsReader.SectionName or BrokerReader.SectionName or WebReader.SectionName || section.Name.StartsWith(ServiceReader.SectionPrefix, StringComparison.Ordinal);
            foreach (var entry in section.Entries.ToList())
            {
                var prepared = stripComments ? entry with { Value = InlineComments.Remove(entry.Value).Trim() } : entry;
                section.Replace(entry, VariableExpander.Expand(prepared, section.Name, configDirectory, diagnostics));
            }
        }

        if (document.Defaults is not { } fallbacks)
        {
            return;
        }

        diagnostics.Warning(fallbacks.Line, IniReader.DefaultSectionName, "[DEFAULT] keys are fallbacks for every section (did you mean [defaults]?)");
        var expanded = fallbacks.Entries.Select(e => VariableExpander.Expand(e, fallbacks.Name, configDirectory, diagnostics)).ToList();
        foreach (var section in document.Sections)
        {
            foreach (var entry in expanded.Where(e => section.Find(e.Key) is null))
            {
                section.Add(entry);
            }
        }
    }

    private static List<ServiceConfig> ReadLaunchedServices(
        IniDocument document, DefaultsOptions defaults, IniSection? defaultsSection, string configDirectory, DiagnosticBag diagnostics)
    {
        var launchLine = defaultsSection?.Find("launch")?.Line ?? defaultsSection?.Line ?? 0;
        if (defaults.Launch.Count == 0)
        {
            diagnostics.Warning(launchLine, DefaultsReader.SectionName, "No services defined");
        }

        var services = new List<ServiceConfig>();
        foreach (var name in defaults.Launch)
        {
            var section = document.Find(ServiceReader.SectionPrefix + name);
            if (section is null)
            {
                diagnostics.Error(launchLine, DefaultsReader.SectionName, $"Configuration section does not exist: {ServiceReader.SectionPrefix}{name}");
            }
            else if (services.Any(s => s.Name == name))
            {
                diagnostics.Warning(launchLine, DefaultsReader.SectionName, $"Service '{name}' is launched twice; started once");
            }
            else
            {
                services.Add(ServiceReader.Read(section, configDirectory, diagnostics));
            }
        }

        foreach (var section in document.Sections.Where(s => s.Name.StartsWith(ServiceReader.SectionPrefix, StringComparison.Ordinal)))
        {
            var name = section.Name[ServiceReader.SectionPrefix.Length..];
            if (!defaults.Launch.Contains(name))
            {
                diagnostics.Warning(section.Line, section.Name, $"[{section.Name}] is not in 'launch' in [defaults], so it is not started");
            }
        }

        return services;
    }
}
