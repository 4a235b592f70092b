using Hub.Formatting;
using Hub.Functions.Templates;
using Hub.Tests.Support;

namespace Hub.Tests.Functions.Templates;

/// <summary>Template files in a temporary <c>templates/</c> folder, loaded as <c>template = NAME</c> loads them.</summary>
internal sealed class TemplateFiles : IDisposable
{
    private readonly TempDirectory _temp = new();

    public string Directory => _temp.Path;

    public string PathOf(string name) => _temp.File(Path.Combine("templates", name));

    public TemplateRenderer Load(string name, string text)
    {
        System.IO.Directory.CreateDirectory(_temp.File("templates"));
        _temp.Write(Path.Combine("templates", name), text);
        return TemplateRenderer.Load(name, _temp.Path);
    }

    /// <summary>The data mqttwarn passes for <paramref name="payload"/> on <paramref name="topic"/>: the built-in keys, then the JSON object's keys.</summary>
    public static OrderedDictionary<string, object?> Data(string topic, string payload, DateTimeOffset now)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(payload);
        var data = TransformationData.Create(topic, bytes, now, TimeZoneInfo.Utc);
        TransformationData.MergeJson(data, bytes, out _);
        return data;
    }

    public void Dispose() => _temp.Dispose();
}
