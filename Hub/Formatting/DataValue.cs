using System.Numerics;

namespace Hub.Formatting;

/// <summary>Normalises CLR values into the data model and names their Python types for messages.</summary>
internal static class DataValue
{
    /// <summary>Maps other CLR numbers onto the model's long, BigInteger and double; other values unchanged.</summary>
    public static object? Normalize(object? value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        sbyte sb => (long)sb,
        byte b => (long)b,
        ushort us => (long)us,
        uint ui => (long)ui,
        ulong ul => ul <= long.MaxValue ? (long)ul : new BigInteger(ul),
        float f => (double)f,
        decimal m => (double)m,
        char c => c.ToString(),
        _ => value,
    };

    public static string PythonTypeName(object? value) => Normalize(value) switch
    {
        null => "NoneType",
        string => "str",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        byte[] => "bytes",
        IReadOnlyDictionary<string, object?> => "dict",
        IReadOnlyList<object?> => "list",
        var other => other.GetType().Name,
    };
}
