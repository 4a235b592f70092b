using Hub.Config.Values;

namespace Hub.Config.Sections;

/// <summary><c>launch</c>: a comma list of instance names (mqttwarn), or a list literal (hub).</summary>
internal static class LaunchList
{
    public static IReadOnlyList<string> Read(string value)
    {
        if (PythonLiteral.TryParse(value, out var literal))
        {
            if (literal is string single)
            {
                return Clean([single]);
            }

            if (literal is List<object?> list && list.All(item => item is string))
            {
                return Clean(list.Cast<string>());
            }
        }

        return Clean(value.Split(','));
    }

    private static List<string> Clean(IEnumerable<string> names) =>
        names.Select(name => name.Trim()).Where(name => name.Length > 0).ToList();
}
