using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Hub.Formatting;
using Hub.Plugins;
using Hub.Tests.Support;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Hub.Tests.Conformance;

/// <summary>The code that docs/plugins.md shows is code that exists, compiles and does what the page says.</summary>
public sealed class PluginDocsTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repo.Root, "docs", "plugins.md")).ReplaceLineEndings("\n");

    [Fact]
    public void The_whole_code_of_the_sample_plugin_on_the_page_is_every_source_file_of_the_sample_verbatim()
    {
        var sources = Directory.GetFiles(Path.Combine(Repo.Root, "samples", "HelloPlugin"), "*.cs");
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            var block = $"`samples/HelloPlugin/{Path.GetFileName(source)}`\n\n```csharp\n{File.ReadAllText(source).ReplaceLineEndings("\n")}```\n";
            Assert.True(Page.Contains(block, StringComparison.Ordinal), $"docs/plugins.md does not show {source} verbatim");
        }

        // (SamplePluginTests builds that project against the packed contract and runs it in the hub.)
    }

    [Fact]
    public async Task The_analytics_example_fires_for_a_json_integer_as_for_a_json_decimal_and_not_below_its_threshold()
    {
        var overheat = Compile(Block("[Plugin(\"overheat\""), "public sealed class OverheatOptions { public double Threshold { get; set; } = 30; }").GetType("Overheat", throwOnError: true)!;
        var context = new TestPluginContext();
        var options = Activator.CreateInstance(overheat.Assembly.GetType("OverheatOptions", throwOnError: true)!)!;
        var analytics = (IAnalytics)Activator.CreateInstance(overheat, context, options)!;

        foreach (var payload in new[] { """{"temperature": 31}""", """{"temperature": 31.5}""", """{"temperature": 21}""", """{"temperature": "warm"}""" })
        {
            await analytics.ObserveAsync(Message(payload), CancellationToken.None);
        }

        Assert.Equal(["31", "31.5"], context.Published.Select(p => Encoding.UTF8.GetString(p.Payload)));
        Assert.All(context.Published, p => Assert.Equal("alarms/sensors/attic", p.Topic));
    }

    [Fact]
    public async Task The_transform_example_converts_a_json_integer()
    {
        var fahrenheit = Compile(Block("[Plugin(\"fahrenheit\""), "").GetType("Fahrenheit", throwOnError: true)!;
        var transform = (IMessageTransform)Activator.CreateInstance(fahrenheit)!;

        var added = await transform.TransformAsync(Message("""{"temperature": 100}"""), CancellationToken.None);

        Assert.NotNull(added);
        Assert.Equal(212.0, added["temperature_f"]);
    }

    private static PipelineMessage Message(string json) => new()
    {
        Topic = "sensors/attic",
        Payload = Encoding.UTF8.GetBytes(json),
        PayloadText = json,
        Section = "sensors/#",
        Data = JsonData.TryParseObject(Encoding.UTF8.GetBytes(json))!,
    };

    /// <summary>The page's C# block that contains <paramref name="marker"/>.</summary>
    private static string Block(string marker)
    {
        var at = Page.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/plugins.md has no block with {marker}");
        var start = Page.LastIndexOf("```csharp\n", at, StringComparison.Ordinal) + "```csharp\n".Length;
        return Page[start..Page.IndexOf("```", at, StringComparison.Ordinal)];
    }

    private static Assembly Compile(string code, string support)
    {
        const string Usings = "using System; using System.Collections.Generic; using System.Globalization; using System.Text; using System.Threading; using System.Threading.Tasks; using Hub.Plugins;\n";
        var references = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(ISink).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "PluginDocsExample" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(Usings + code + "\n" + support)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image.ToArray()));
    }
}
