using System.Text;

namespace Hub.PluginHost.Options;

/// <summary>INI keys of option properties: <c>AppendNewline</c> is <c>append_newline</c>, <c>MaxQoS</c> is <c>max_qos</c>.</summary>
public static class OptionNames
{
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLower = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var startsWord = i > 0 && char.IsUpper(name[i - 1]) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (previousIsLower || startsWord)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Enum member names compare case-insensitively with <c>_</c> and <c>-</c> ignored (<c>warn_only</c> is <c>WarnOnly</c>).</summary>
    public static string Loose(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
}
