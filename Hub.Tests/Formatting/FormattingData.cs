using System.Text;
using Hub.Formatting;

namespace Hub.Tests.Formatting;

/// <summary>Builds formatter data the way the hub does: from a JSON payload.</summary>
internal static class FormattingData
{
    public static IReadOnlyDictionary<string, object?> FromJson(string json) =>
        JsonData.TryParseObject(Encoding.UTF8.GetBytes(json))
        ?? throw new ArgumentException($"Not a JSON object: {json}", nameof(json));

    public static IReadOnlyDictionary<string, object?> With(string key, object? value) =>
        new OrderedDictionary<string, object?> { [key] = value };
}
