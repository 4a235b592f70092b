using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// Loads a user's Python module as mqttwarn does: a <c>.py</c> file by path, or a dotted module name
/// (<c>examples.homie.homie</c>) found under the configuration's folder, one of its parents, the working
/// directory or the interpreter's own path. A file is compiled from its source on every load, so a reload
/// sees its current text.
/// </summary>
internal static class PythonModules
{
    /// <summary>A problem while loading: the file and line when Python names them (else null: report at the INI key).</summary>
    public sealed record Problem(string? File, int Line, string Message);

    /// <summary>Starts Python if needed and loads the module; null with the problems when it does not import.</summary>
    /// <param name="module">A <c>.py</c> path (absolute) or a dotted name.</param>
    /// <param name="configDirectory">Searched for a dotted name's package, with the working directory.</param>
    /// <param name="library"><c>[defaults] python</c>, or null to find the system's.</param>
    /// <param name="problems">Receives what went wrong.</param>
    public static PyObject? Load(string module, string configDirectory, string? library, List<Problem> problems)
    {
        if (!PythonRuntime.TryStart(library, out var missing))
        {
            problems.Add(new Problem(null, 0, missing!));
            return null;
        }

        if (module.EndsWith(".py", StringComparison.OrdinalIgnoreCase) && !File.Exists(module))
        {
            problems.Add(new Problem(null, 0, $"the Python module {module} does not exist"));
            return null;
        }

        using (Py.GIL())
        {
            try
            {
                if (module.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
                {
                    using var loadFile = PythonBridge.Module.GetAttr("load_file");
                    using var path = new PyString(module);
                    return loadFile.Invoke(path);
                }

                using var loadDotted = PythonBridge.Module.GetAttr("load_dotted");
                using var name = new PyString(module);
                using var roots = new PyList([new PyString(configDirectory), new PyString(Directory.GetCurrentDirectory())]);
                return loadDotted.Invoke(name, roots);
            }
            catch (PythonException ex)
            {
                var error = PythonError.Of(ex);
                var inModule = error.File.Length > 0 && File.Exists(error.File);
                problems.Add(new Problem(inModule ? error.File : null, inModule ? error.Line : 0, $"importing {Path.GetFileName(module)} failed: {error}"));
                return null;
            }
        }
    }

    /// <summary>The module's callables (not classes or modules) with the line each is defined at (0 when unknown).</summary>
    public static List<(string Name, int Line, PyObject Callable)> Functions(PyObject module)
    {
        using (Py.GIL())
        {
            using var functions = PythonBridge.Module.GetAttr("functions");
            using var found = functions.Invoke(module);
            var result = new List<(string, int, PyObject)>();
            using var entries = new PyIterable(found);
            foreach (var entry in entries)
            {
                using (entry)
                {
                    using var name = entry[0];
                    using var line = entry[1];
                    var text = name.As<string>();
                    result.Add((text, line.As<int>(), module.GetAttr(text)));
                }
            }

            return result;
        }
    }

    /// <summary>mqttwarn's <c>srv</c> for one function or service: logging under <paramref name="loggerName"/>, <c>mqttc.publish</c>, <c>SCRIPTNAME</c>.</summary>
    public static PyObject Srv(string loggerName, PythonLogSink log, PythonPublishSink publish)
    {
        using (Py.GIL())
        {
            using var make = PythonBridge.Module.GetAttr("make_srv");
            using var name = new PyString(loggerName);
            using var logSink = log.ToPython();
            using var publishSink = publish.ToPython();
            return make.Invoke(name, logSink, publishSink);
        }
    }

    /// <summary>The file a loaded module came from (its <c>__file__</c>), or <paramref name="fallback"/>.</summary>
    public static string FileOf(PyObject module, string fallback)
    {
        using (Py.GIL())
        {
            return module.HasAttr("__file__") && module.GetAttr("__file__") is { } file && !file.IsNone() ? file.As<string>() : fallback;
        }
    }
}
