namespace Hub.Analytics.Jobs;

/// <summary>One run of one job: its options, the time it runs at, the outputs of the jobs it follows, the hub's services.</summary>
internal sealed class JobContext
{
    public required JobOptions Options { get; init; }

    /// <summary>The run's time (the clock's now when it started).</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The latest successful output (JSON) of each job named in <c>after</c>, by name.</summary>
    public IReadOnlyDictionary<string, string> Upstream { get; init; } = new Dictionary<string, string>();

    public required JobServices Services { get; init; }

    /// <summary>The history, or an error naming the job when the hub records none.</summary>
    public History.HistoryStore History => Services.History
        ?? throw new InvalidOperationException($"job '{Options.Name}' reads the history, but the hub records none (add a [history] section)");

    /// <summary>The series matching the job's <c>series</c> patterns (topic filters, optionally with #FIELD), by name.</summary>
    public IReadOnlyList<string> MatchingSeries() =>
        Options.Names("series").SelectMany(pattern => History.Series(pattern)).Select(s => s.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The raw samples of <paramref name="series"/> in [from, to).</summary>
    public IEnumerable<(DateTimeOffset Time, double Value)> Samples(string series, DateTimeOffset from, DateTimeOffset to) =>
        History.Points(series, from, to)
            .Where(p => p.Series == series)
            .Select(p => (DateTimeOffset.FromUnixTimeMilliseconds(p.Timestamp), p.Value));

    /// <summary>Renders <c>{job}</c> and <c>{series}</c> in a topic or title; a series <c>TOPIC#FIELD</c> becomes <c>TOPIC/FIELD</c> (a topic name has no '#').</summary>
    public string Render(string template, string? series = null) =>
        template.Replace("{job}", Options.Name, StringComparison.Ordinal).Replace("{series}", series?.Replace('#', '/') ?? "", StringComparison.Ordinal);
}
