using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// The one embedded CPython of the process, started on first use (a configured <c>.py</c>), never before: a hub
/// without Python functions or service modules never loads libpython. Started once; hot reload reuses it (its
/// modules are loaded afresh). After start the GIL is released; every call takes it (<c>Py.GIL()</c>) for its
/// own duration only.
/// </summary>
internal static class PythonRuntime
{
    private static readonly Lock Gate = new();
    private static string? _library;

    /// <summary>The library the running interpreter was loaded from; null before the first start.</summary>
    public static string? Library
    {
        get
        {
            lock (Gate)
            {
                return _library;
            }
        }
    }

    /// <summary>Starts the interpreter unless it runs; false with one message naming what to install when it cannot.</summary>
    /// <param name="configured"><c>[defaults] python</c>, or null to ask <paramref name="pythonCommand"/>.</param>
    /// <param name="pythonCommand">The interpreter whose library to embed (default: <c>python3</c> on the PATH).</param>
    public static bool TryStart(string? configured, out string? problem, string pythonCommand = "python3")
    {
        lock (Gate)
        {
            problem = null;
            if (_library is not null)
            {
                if (configured is not null && !File.Exists(configured))
                {
                    problem = Missing($"[defaults] python = {configured}: no such file");
                    return false;
                }

                return true;
            }

            if (PythonLibrary.Find(configured, pythonCommand, out var reason) is not { } found)
            {
                problem = Missing(reason ?? "no libpython found");
                return false;
            }

            try
            {
                global::Python.Runtime.Runtime.PythonDLL = found.Path;
                if (found.Home is { } home)
                {
                    PythonEngine.PythonHome = home;
                }

                PythonEngine.Initialize(setSysArgv: false, initSigs: false);
                DetachAssemblyHandlers();
                PythonEngine.BeginAllowThreads();
                _library = found.Path;
                PythonBridge.Start();
                return true;
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or TypeInitializationException or PythonException or InvalidOperationException)
            {
                problem = Missing($"{found.Path} could not be started: {ex.GetType().Name}: {ex.Message}");
                return false;
            }
        }
    }

    /// <summary>
    /// pythonnet subscribes to every assembly load (and keeps each assembly, so a plugin's load context could never
    /// unload) and resolves missing assemblies from the folders on <c>sys.path</c> (so a plugin with a missing
    /// dependency would load one from wherever the working directory is). The hub does not use Python's
    /// <c>clr</c> imports, which is what they serve: both handlers are removed.
    /// </summary>
    private static void DetachAssemblyHandlers()
    {
        const System.Reflection.BindingFlags Private = System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static;
        var manager = typeof(PythonEngine).Assembly.GetType("Python.Runtime.AssemblyManager");
        if (manager?.GetMethod("ResolveHandler", Private) is { } resolve)
        {
            AppDomain.CurrentDomain.AssemblyResolve -= resolve.CreateDelegate<ResolveEventHandler>();
        }

        if (manager?.GetMethod("AssemblyLoadHandler", Private) is { } load)
        {
            AppDomain.CurrentDomain.AssemblyLoad -= load.CreateDelegate<AssemblyLoadEventHandler>();
        }
    }

    /// <summary>True for the error <see cref="Missing"/> makes (with or without a section prefix).</summary>
    public static bool IsMissing(string message) =>
        message.Contains("need CPython's shared library", StringComparison.Ordinal);

    /// <summary>The one message for "no usable Python": what is missing and the Debian package that provides it.</summary>
    public static string Missing(string reason) =>
        $"Python functions and service modules need CPython's shared library ({reason}): install the Debian package {PythonLibrary.DebianPackage} " +
        $"(apt-get install {PythonLibrary.DebianPackage}) or set [defaults] python = /path/to/libpython3.X.so";
}
