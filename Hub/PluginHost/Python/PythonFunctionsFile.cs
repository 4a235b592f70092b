using Hub.Config;
using Hub.Config.Sections;
using Hub.Functions;
using Hub.Functions.Python;
using Microsoft.Extensions.Logging;

namespace Hub.PluginHost.Python;

/// <summary>
/// <c>functions = udf.py</c> (or a dotted module name): the module's callables as user functions, each with its own
/// <c>srv</c> (logging as <c>hub.functions.NAME</c>). Import errors come back at the module's <c>FILE:LINE</c> when
/// Python names one, else at the <c>functions</c> line.
/// </summary>
internal static class PythonFunctionsFile
{
    public static List<UserFunction> Load(HubConfig config, FunctionServices services, ILoggerFactory loggers, List<ConfigDiagnostic> errors)
    {
        var module = config.Defaults.Functions!;
        var problems = new List<PythonModules.Problem>();
        var loaded = PythonModules.Load(module, config.Directory, config.Defaults.Python, problems);
        foreach (var problem in problems)
        {
            var location = problem.File is { } file ? new SourceLocation(file, problem.Line) : new SourceLocation(config.FilePath, config.Defaults.FunctionsLine);
            errors.Add(new ConfigDiagnostic(location, problem.Message) { Section = problem.File is null ? DefaultsReader.SectionName : null });
        }

        if (loaded is null)
        {
            return [];
        }

        var fileName = Path.GetFileName(PythonModules.FileOf(loaded, module));
        var log = new PythonLogSink(loggers);
        var publisher = new PythonPublishSink(services, loggers.CreateLogger("hub.functions"));
        return PythonModules.Functions(loaded)
            .Select(f => new UserFunction(f.Name, Placeholder, new PythonFunction(f.Name, f.Callable, new Lazy<global::Python.Runtime.PyObject>(() => PythonModules.Srv($"hub.functions.{f.Name}", log, publisher)), $"{fileName}:{f.Line}"), $"{fileName}:{f.Line}"))
            .ToList();
    }

    // A Python function has no CLR method; BoundFunction binds it through IBindableFunction (its Target).
    private static readonly System.Reflection.MethodInfo Placeholder = typeof(PythonFunction).GetMethod(nameof(PythonFunction.Bind))!;
}
