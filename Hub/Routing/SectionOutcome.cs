using Hub.Config;

namespace Hub.Routing;

/// <summary>What one matching section did with a message: the data, the rendering, the items, and any problems.</summary>
public sealed class SectionOutcome(TopicSection section)
{
    public TopicSection Section { get; } = section;
    public IReadOnlyDictionary<string, object?> Data { get; set; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, object?>.Empty;
    public bool Filtered { get; set; }
    public string Title { get; set; } = "";
    public string Message { get; set; } = "";
    /// <summary>The payload as text (invalid UTF-8 replaced); the message is this very string when nothing changed it.</summary>
    public string PayloadText { get; set; } = "";
    /// <summary>True when the payload was not valid UTF-8: <see cref="PayloadText"/> has U+FFFD where its bytes do not.</summary>
    public bool PayloadRepaired { get; set; }
    public int Priority { get; set; }
    public string Image { get; set; } = "";
    public IReadOnlyList<string> References { get; set; } = [];
    public List<RoutedItem> Items { get; } = [];
    /// <summary>Errors: references that could not be delivered (unknown service or target, templating failure).</summary>
    public List<string> Problems => _problems ??= [];
    private List<string>? _problems;
    /// <summary>
    /// Fields whose format or function failed and fell back to their default (the message to the payload), with
    /// the reason; filled only by a router with <c>MessageRouter.ExplainFallbacks</c>.
    /// </summary>
    public List<string> Fallbacks => _fallbacks ??= [];
    private List<string>? _fallbacks;
    /// <summary>Normal reasons why nothing was sent to a reference (no dispatcher key matches, an empty message).</summary>
    public List<string> Notes => _notes ??= [];
    private List<string>? _notes;
}
