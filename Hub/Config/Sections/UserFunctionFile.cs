using Hub.Config.Ini;
using Hub.Functions;

namespace Hub.Config.Sections;

/// <summary>Loads the <c>functions =</c> script named in <c>[defaults]</c> (compile errors at <c>udf.csx:LINE</c>).</summary>
internal static class UserFunctionFile
{
    public static ScriptFunctions? Load(DefaultsOptions defaults, IniSection? defaultsSection, IEnumerable<TopicSection> sections, IEnumerable<CronEntry> cron, DiagnosticBag diagnostics)
    {
        if (defaults.Functions is not { } path || !path.EndsWith(".csx", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            diagnostics.Error(defaults.FunctionsLine, DefaultsReader.SectionName, $"the functions file {path} does not exist" + NamesUsed(sections, cron));
            return null;
        }

        var problems = new List<(int Line, string Message)>();
        var script = ScriptFunctions.Load(path, problems);
        foreach (var (line, message) in problems)
        {
            diagnostics.ErrorIn(path, line, message);
        }

        return script;
    }

    private static string NamesUsed(IEnumerable<TopicSection> sections, IEnumerable<CronEntry> cron)
    {
        var names = sections
            .SelectMany(s => new[] { s.Filter, s.Datamap, s.Alldata, s.Format, s.Title, s.Priority, s.Image, (s.Targets as TargetFunction)?.FunctionName + "()" })
            .Select(v => FunctionReference.TryMatch(v, out var name) ? name : null)
            .OfType<string>()
            .Concat(cron.Select(c => c.FunctionName))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return names.Count == 0 ? "" : $"; it must provide: {string.Join(", ", names.Select(n => n + "()"))}";
    }
}
