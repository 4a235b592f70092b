namespace Hub.Formatting;

/// <summary>Python's str(), repr() and json.dumps() of data values (mqttwarn-compat §7.4, §7.5).</summary>
public static class PyValue
{
    public static string Str(object? value) => throw new NotImplementedException();
    public static string Repr(object? value) => throw new NotImplementedException();
    public static string Json(object? value) => throw new NotImplementedException();
    public static string ExpandNewlines(string text) => throw new NotImplementedException();
    public static bool TryToPriority(object? value, out int priority) => throw new NotImplementedException();
}
