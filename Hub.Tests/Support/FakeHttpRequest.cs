using System.Text;
using System.Text.Json;

namespace Hub.Tests.Support;

/// <summary>One request received by <see cref="FakeHttpApi"/>. Header names are case-insensitive; repeated values are joined with ", ".</summary>
public sealed record FakeHttpRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    IReadOnlyList<FakeHttpPart> Parts)
{
    /// <summary>When the request arrived (wall clock), for tests that assert when a retry came.</summary>
    public DateTimeOffset Received { get; init; } = DateTimeOffset.UtcNow;

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The body parsed as JSON (throws when it is not JSON).</summary>
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The multipart/form-data part with this name (throws when there is none).</summary>
    public FakeHttpPart Part(string name) => Parts.Single(p => p.Name == name);

    public override string ToString() => $"{Method} {Path}{Query} ({Body.Length} bytes)";
}
