namespace Hub.Config;

/// <summary>The whole configuration, validated, as the runtime uses it.</summary>
public sealed class HubConfig
{
    /// <summary>Full path of the INI file.</summary>
    public required string FilePath { get; init; }

    /// <summary>Directory of the INI file: relative paths resolve against it first.</summary>
    public string Directory => Path.GetDirectoryName(Path.GetFullPath(FilePath)) ?? ".";

    public required DefaultsOptions Defaults { get; init; }

    /// <summary>The embedded broker's options when <c>[broker] enabled = True</c>, else null.</summary>
    internal Broker.BrokerOptions? Broker { get; init; }

    /// <summary>The HTTP endpoint's options when <c>[web]</c> is present (and not <c>enabled = False</c>), else null.</summary>
    internal WebOptions? Web { get; init; }

    /// <summary>When this configuration was read (a failed reload keeps the old one, and its time).</summary>
    public DateTimeOffset LoadedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The hub's own client talks to the embedded broker through a pipe (broker on, no <c>hostname</c> in <c>[defaults]</c>).</summary>
    internal bool BrokerInProcess { get; init; }

    /// <summary>The service instances named in <c>launch</c>, in <c>launch</c> order.</summary>
    public required IReadOnlyList<ServiceConfig> Services { get; init; }

    /// <summary>Topic sections with targets, in file order.</summary>
    public required IReadOnlyList<TopicSection> Sections { get; init; }

    /// <summary>The <c>[failover]</c> section, if present.</summary>
    public TopicSection? Failover { get; init; }

    /// <summary>The embedded history (<c>[history]</c>, <c>[history:NAME]</c>), or null when nothing is recorded.</summary>
    internal History.HistoryOptions? History { get; init; }

    /// <summary>The <c>[rule:NAME]</c> sections, in file order (empty when there are none).</summary>
    internal IReadOnlyList<RuleSection> Rules { get; init; } = [];

    /// <summary>The <c>[job:NAME]</c> sections, in file order (empty when there are none; docs/jobs.md).</summary>
    internal IReadOnlyList<Analytics.Jobs.JobOptions> Jobs { get; init; } = [];

    /// <summary>The <c>[cron]</c> entries.</summary>
    public IReadOnlyList<CronEntry> Cron { get; init; } = [];

    /// <summary>The compiled <c>functions =</c> script, if any.</summary>
    internal Functions.ScriptFunctions? Script { get; init; }

    /// <summary>The <c>template =</c> of each section that names one, loaded and compiled once.</summary>
    internal IReadOnlyDictionary<TopicSection, Functions.Templates.TemplateRenderer> Templates { get; init; } = new Dictionary<TopicSection, Functions.Templates.TemplateRenderer>();

    /// <summary>
    /// The user functions and templates bound to the hooks that name them. Set when the configuration is
    /// bound to its plugins (<c>FunctionBinder</c> in Hub/PluginHost); empty until then.
    /// </summary>
    public FunctionTable Functions { get; internal set; } = FunctionTable.Empty;

    /// <summary>Warnings found while loading (errors make loading fail instead).</summary>
    public IReadOnlyList<ConfigDiagnostic> Warnings { get; init; } = [];

    public ServiceConfig? FindService(string name) => Services.FirstOrDefault(s => s.Name == name);
}
