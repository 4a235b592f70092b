using System.Globalization;
using System.Numerics;
using Hub.Config;

namespace Hub.Tests.Support;

/// <summary>Loads INI text as if it were <c>hub.ini</c> in a temporary directory, and describes results for assertions.</summary>
internal static class ConfigTestLoader
{
    public static readonly string ConfigDirectory = Path.Combine(Path.GetTempPath(), "hub-config-tests");

    public static readonly string FilePath = Path.Combine(ConfigDirectory, "hub.ini");

    public static ConfigLoadResult Load(string ini) => ConfigLoader.LoadText(ini, FilePath);

    /// <summary>Loads text that must load without errors.</summary>
    public static HubConfig LoadValid(string ini)
    {
        var result = Load(ini);
        Assert.True(result.Success, "Unexpected errors:\n" + string.Join('\n', result.Errors));
        return result.Config!;
    }

    /// <summary>A minimal valid configuration with one launched <c>log</c> service, followed by <paramref name="more"/>.</summary>
    public static string WithLog(string more) =>
        "[defaults]\nlaunch = log\n\n[config:log]\ntargets = {'info': ['info'], 'crit': ['crit']}\n\n" + more;

    public static ConfigDiagnostic SingleError(ConfigLoadResult result)
    {
        Assert.False(result.Success);
        return Assert.Single(result.Errors);
    }

    public static void AssertError(ConfigLoadResult result, int line, string messagePart)
    {
        Assert.False(result.Success, "Expected an error containing: " + messagePart);
        Assert.True(
            result.Errors.Any(e => e.Location.Line == line && e.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"Expected an error at line {line} containing '{messagePart}', got:\n" + string.Join('\n', result.Diagnostics));
    }

    public static void AssertWarning(ConfigLoadResult result, int line, string messagePart) =>
        Assert.True(
            result.Warnings.Any(e => e.Location.Line == line && e.Message.Contains(messagePart, StringComparison.Ordinal)),
            $"Expected a warning at line {line} containing '{messagePart}', got:\n" + string.Join('\n', result.Diagnostics));

    /// <summary>A type-revealing text for a parsed value: <c>int:5</c>, <c>str:'a'</c>, <c>[int:1, null]</c>, <c>{a: bool:True}</c>.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"str:'{s}'",
        long l => $"int:{l.ToString(CultureInfo.InvariantCulture)}",
        BigInteger b => $"big:{b.ToString(CultureInfo.InvariantCulture)}",
        double d => $"float:{d.ToString("R", CultureInfo.InvariantCulture)}",
        bool b => $"bool:{b}",
        List<object?> list => "[" + string.Join(", ", list.Select(Describe)) + "]",
        OrderedDictionary<string, object?> dict => "{" + string.Join(", ", dict.Select(p => $"{p.Key}: {Describe(p.Value)}")) + "}",
        _ => $"unexpected {value.GetType().Name}",
    };
}
