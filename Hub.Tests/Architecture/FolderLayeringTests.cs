using System.Text.RegularExpressions;
using Hub.Tests.Support;

namespace Hub.Tests.Architecture;

/// <summary>
/// The folders of <c>Hub/</c> depend on each other one way: each folder only on folders in lower layers, so the
/// folder graph has no cycle. The layering is the one docs/architecture.md ("Layering") shows.
/// </summary>
public sealed class FolderLayeringTests
{
    /// <summary>Bottom to top. A folder may depend only on folders of lower layers, never on one of its own layer or above.</summary>
    internal static readonly string[][] Layers =
    [
        ["Formatting", "Logging"],
        ["Mqtt"],
        ["Broker", "Functions", "History"],
        ["Analytics"],
        ["Config"],
        ["Delivery", "Routing", "Scheduling"],
        ["PluginHost"],
        ["Pipeline"],
        ["Graph"],
        ["Runtime"],
        ["Diagnostics"],
        ["Web"],
        ["Hosting"],
        ["Cli"],
    ];

    private static readonly Lazy<FolderDependencies> Sources = new(() => FolderDependencies.Scan(Path.Combine(Repo.Root, "Hub")));

    private static int LayerOf(string folder) => Array.FindIndex(Layers, layer => layer.Contains(folder)) + 1;

    [Fact]
    public void Every_folder_of_Hub_is_in_exactly_one_layer()
    {
        var layered = Layers.SelectMany(l => l).ToList();
        Assert.Equal(layered.Count, layered.Distinct().Count());
        var missing = Sources.Value.Folders.Except(layered).Order().ToList();
        Assert.True(missing.Count == 0, $"Hub/{string.Join(", Hub/", missing)} is in no layer: add it to {nameof(Layers)} and to docs/architecture.md (\"Layering\")");
        var gone = layered.Except(Sources.Value.Folders).ToList();
        Assert.True(gone.Count == 0, $"{string.Join(", ", gone)} is in a layer but not a folder of Hub/ any more");
    }

    [Fact]
    public void Every_file_declares_the_namespace_of_its_folder() =>
        Assert.True(Sources.Value.Misplaced.Count == 0, string.Join(Environment.NewLine, Sources.Value.Misplaced));

    [Fact]
    public void The_folders_of_Hub_depend_on_each_other_without_a_cycle()
    {
        var cycles = Sources.Value.Cycles();
        Assert.True(cycles.Count == 0, string.Join(Environment.NewLine, cycles.Select(cycle =>
            $"{string.Join(", ", cycle)} depend on each other in a cycle, for example:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", Sources.Value.ShortestCycle(cycle)))));
    }

    [Fact]
    public void A_folder_depends_only_on_folders_in_lower_layers()
    {
        var upward = Sources.Value.References.Where(r => LayerOf(r.From) > 0 && LayerOf(r.To) > 0 && LayerOf(r.To) >= LayerOf(r.From)).ToList();
        Assert.True(upward.Count == 0, string.Join(Environment.NewLine, upward.Select(r =>
            $"{r}: {r.From} (layer {LayerOf(r.From)}) may not depend on {r.To} (layer {LayerOf(r.To)}); move the type to the layer that owns it or invert the dependency (docs/architecture.md, \"Layering\")")));
    }

    [Fact]
    public void The_layering_in_the_architecture_document_is_the_one_tested()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "docs", "architecture.md"));
        var start = text.IndexOf("\n## Layering", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no \"## Layering\" section");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = end < 0 ? text[start..] : text[start..end];

        var documented = Regex.Matches(section, @"^\|\s*(\d+)\s*\|([^|]*)\|", RegexOptions.Multiline)
            .ToDictionary(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m => Regex.Matches(m.Groups[2].Value, "`([^`]+)`").Select(f => f.Groups[1].Value).Order().ToList());
        var tested = Layers.Select((layer, i) => (Layer: i + 1, Folders: layer.Order().ToList())).ToDictionary(l => l.Layer, l => l.Folders);

        Assert.Equal(tested.Keys.Order(), documented.Keys.Order());
        Assert.All(tested, layer => Assert.Equal(layer.Value, documented[layer.Key]));
    }
}
