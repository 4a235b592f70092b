using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;

namespace Hub.Functions;

/// <summary>
/// The <c>functions = udf.csx</c> script: C# script code whose top-level methods are user functions.
/// Compiled when the configuration loads, or loaded from <see cref="ScriptCache"/> when the same script
/// was compiled before by the same hub; its top-level statements run once then (e.g. to set up fields the
/// functions share).
/// </summary>
internal sealed partial class ScriptFunctions
{
    private ScriptFunctions(string path, IReadOnlyList<UserFunction> functions, bool compiled)
    {
        Path = path;
        Functions = functions;
        Compiled = compiled;
    }

    /// <summary>Absolute path of the script.</summary>
    public string Path { get; }

    /// <summary>The script's top-level methods, in declaration order.</summary>
    public IReadOnlyList<UserFunction> Functions { get; }

    /// <summary>True when this load compiled the script; false when its image came from the cache.</summary>
    public bool Compiled { get; }

    /// <summary>
    /// Compiles (or loads from <paramref name="cache"/>, by default <see cref="ScriptCache.Default"/>) and
    /// initialises the script; on failure returns null and the problems as (line, message), line 0 when unknown.
    /// </summary>
    public static ScriptFunctions? Load(string path, List<(int Line, string Message)> problems, ScriptCache? cache = null)
    {
        string code;
        try
        {
            code = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add((0, $"cannot read the functions file: {ex.Message}"));
            return null;
        }

        // #load and #r pull in other files whose changes the key would not see: such scripts are always compiled.
        cache = Directives().IsMatch(code) ? null : cache ?? ScriptCache.Default();
        var key = cache is null ? "" : ScriptCache.Key(code, ScriptCompiler.Inputs());
        if (cache?.TryRead(key) is (var cachedImage, var cachedScript) && TryPrepare(cachedImage, cachedScript) is { } cached)
        {
            return Run(path, cached, compiled: false, problems);
        }

        if (ScriptCompiler.Compile(path, code, problems) is not (var image, var script))
        {
            return null;
        }

        Prepared prepared;
        try
        {
            prepared = Prepare(image, script);
        }
        catch (Exception ex)
        {
            problems.Add((0, $"loading the compiled script failed: {ex.GetType().Name}: {ex.Message}"));
            return null;
        }

        cache?.TryWrite(key, image, script);
        return Run(path, prepared, compiled: true, problems);
    }

    /// <summary>A loaded script assembly with everything resolved, before its top-level code runs.</summary>
    private sealed record Prepared(MethodInfo Factory, IReadOnlyList<(CompiledScriptFunction Function, MethodInfo Method)> Methods);

    /// <summary>Null when a cached image does not hold what its description says (then it is compiled again).</summary>
    private static Prepared? TryPrepare(byte[] image, CompiledScript script)
    {
        try
        {
            return Prepare(image, script);
        }
        catch (Exception)
        {
            // Whatever is wrong with a cached image (truncated, tampered, a type that is not there), compiling fixes it.
            return null;
        }
    }

    private static Prepared Prepare(byte[] image, CompiledScript script)
    {
        var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image));
        var type = assembly.GetType(script.EntryType, throwOnError: true)!;
        var factory = type.GetMethod(script.EntryMethod, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"the script has no {script.EntryMethod}");
        var methods = script.Functions
            .Select(f => (Function: f, Method: FindMethod(type, f.Name, f.ParameterCount)))
            .Where(m => m.Method is not null)
            .Select(m => (m.Function, m.Method!))
            .ToList();
        return new Prepared(factory, methods);
    }

    // The factory creates the instance, stores it in submissions[1] and runs the top-level statements;
    // the declared methods are instance methods of that class (static ones when declared static).
    private static ScriptFunctions? Run(string path, Prepared prepared, bool compiled, List<(int Line, string Message)> problems)
    {
        try
        {
            var submissions = new object?[2];
            ((Task)prepared.Factory.Invoke(null, [submissions])!).GetAwaiter().GetResult();
            var instance = submissions[1];
            var file = System.IO.Path.GetFileName(path);
            var functions = prepared.Methods
                .Select(m => new UserFunction(m.Function.Name, m.Method, m.Method.IsStatic ? null : instance, $"{file}:{m.Function.Line}"))
                .ToList();
            return new ScriptFunctions(path, functions, compiled);
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } e } ? e : ex;
            problems.Add((0, $"running the script's top-level code failed: {inner.GetType().Name}: {inner.Message}"));
            return null;
        }
    }

    private static MethodInfo? FindMethod(Type type, string name, int parameterCount) =>
        type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .FirstOrDefault(m => m.Name == name && m.GetParameters().Length == parameterCount);

    [GeneratedRegex(@"^\s*#\s*(load|r)\b", RegexOptions.Multiline)]
    private static partial Regex Directives();
}
