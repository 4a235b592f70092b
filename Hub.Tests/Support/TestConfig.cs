using Hub.Config;

namespace Hub.Tests.Support;

/// <summary>Builds <see cref="HubConfig"/> objects in code, for router tests that need no INI file.</summary>
public sealed class TestConfig
{
    private static readonly SourceLocation Here = new("test.ini", 1);
    private readonly List<ServiceConfig> _services = [];
    private readonly List<TopicSection> _sections = [];
    private TopicSection? _failover;

    public DefaultsOptions Defaults { get; set; } = new();

    public TestConfig Service(string name, params (string? Name, object? Descriptor)[] targets) =>
        Service(name, decodeUtf8: true, targets);

    public TestConfig Service(string name, bool decodeUtf8, params (string? Name, object? Descriptor)[] targets)
    {
        _services.Add(new ServiceConfig
        {
            Name = name,
            Module = name,
            DecodeUtf8 = decodeUtf8,
            Targets = targets.Length == 0 ? [new ServiceTarget(null, new List<object?>(), Here)] : targets.Select(t => new ServiceTarget(t.Name, t.Descriptor, Here)).ToList(),
            Location = Here,
        });
        return this;
    }

    public TestConfig Section(string topic, TargetSpec targets, string? format = null, string? title = null, string? priority = null, string? image = null, string? name = null)
    {
        _sections.Add(new TopicSection
        {
            Name = name ?? topic,
            Topic = topic,
            Targets = targets,
            Format = format,
            Title = title,
            Priority = priority,
            Image = image,
            Location = Here,
        });
        return this;
    }

    public TestConfig Failover(TargetSpec targets, string? title = null)
    {
        _failover = new TopicSection { Name = "failover", Topic = "failover", Targets = targets, Title = title, Location = Here };
        return this;
    }

    public HubConfig Build() => new()
    {
        FilePath = "test.ini",
        Defaults = Defaults,
        Services = _services,
        Sections = _sections,
        Failover = _failover,
    };

    public static TargetList Targets(params string[] references) => new(references);
}
