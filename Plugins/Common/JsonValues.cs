using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;

namespace Hub.Plugins.Common;

/// <summary>Turns the contract's value types (text, numbers, booleans, lists, dicts) into JSON nodes.</summary>
public static class JsonValues
{
    public static JsonNode? From(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        long l => l,
        int i => i,
        double d => d,
        BigInteger big => JsonNode.Parse(big.ToString(CultureInfo.InvariantCulture)),
        byte[] bytes => Convert.ToBase64String(bytes),
        IReadOnlyDictionary<string, object?> dict => new JsonObject(dict.Select(p => KeyValuePair.Create(p.Key, From(p.Value)))),
        IReadOnlyList<object?> list => new JsonArray([.. list.Select(From)]),
        _ => value.ToString(),
    };
}
