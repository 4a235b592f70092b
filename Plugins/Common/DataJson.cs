using System.Numerics;
using System.Text.Json.Nodes;

namespace Hub.Plugins.Common;

/// <summary>Turns transformation data and descriptor values (text, numbers, booleans, lists, dicts, bytes) into JSON nodes.</summary>
public static class DataJson
{
    public static JsonNode? From(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d when double.IsFinite(d) => JsonValue.Create(d),
        double d => JsonValue.Create(d.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        BigInteger big => JsonNode.Parse(big.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        IReadOnlyDictionary<string, object?> dict => Object(dict),
        IReadOnlyList<object?> list => new JsonArray([.. list.Select(From)]),
        _ => JsonValue.Create(value.ToString()),
    };

    public static JsonObject Object(IEnumerable<KeyValuePair<string, object?>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var result = new JsonObject();
        foreach (var (key, value) in entries)
        {
            result[key] = From(value);
        }

        return result;
    }
}
