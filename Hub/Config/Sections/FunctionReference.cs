using System.Text.RegularExpressions;

namespace Hub.Config.Sections;

/// <summary>A value that is entirely <c>name()</c> names a user function (mqttwarn only checks the prefix).</summary>
internal static partial class FunctionReference
{
    public static bool TryMatch(string? value, out string name)
    {
        var match = value is null ? Match.Empty : Pattern().Match(value.Trim());
        name = match.Success ? match.Groups["name"].Value : "";
        return match.Success;
    }

    [GeneratedRegex(@"^(?<name>\w+)\(\)$")]
    private static partial Regex Pattern();
}
