using System.Reflection;
using Hub.Plugins;

namespace Hub.Functions;

/// <summary>
/// The functions <c>hub.ini</c> can name, in resolution order: <c>[HubFunction]</c> exports of loaded
/// plugin assemblies first, then the <c>functions =</c> script. A name resolves exactly, else by a
/// unique case-insensitive match (<c>[cron]</c> keys are lower-cased by the INI reader).
/// </summary>
internal sealed class FunctionRegistry
{
    private readonly List<UserFunction> _functions = [];

    public IReadOnlyList<UserFunction> Functions => _functions;

    /// <summary>Adds every public static method marked <see cref="HubFunctionAttribute"/> in <paramref name="assembly"/>.</summary>
    public void AddExports(Assembly assembly, string origin)
    {
        foreach (var type in ExportedTypes(assembly))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (method.GetCustomAttribute<HubFunctionAttribute>() is { } export)
                {
                    Add(new UserFunction(export.Name ?? method.Name, method, null, origin));
                }
            }
        }
    }

    /// <summary>Adds a function; a name already present (an earlier source) keeps its first definition.</summary>
    public void Add(UserFunction function)
    {
        if (!_functions.Any(f => f.Name == function.Name))
        {
            _functions.Add(function);
        }
    }

    /// <summary>The function named <paramref name="name"/>; null with the reason when none or several (case-insensitively) match.</summary>
    public UserFunction? Resolve(string name, out string? problem)
    {
        problem = null;
        if (_functions.FirstOrDefault(f => f.Name == name) is { } exact)
        {
            return exact;
        }

        var candidates = _functions.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        problem = candidates.Count == 0
            ? $"function {name}() is not defined{Available()}"
            : $"function {name}() is ambiguous: {string.Join(", ", candidates.Select(c => $"{c.Name}() ({c.Origin})"))}";
        return null;
    }

    private string Available() => _functions.Count == 0
        ? " (no user functions are loaded: set functions = udf.csx or udf.py in [defaults])"
        : $" (defined: {string.Join(", ", _functions.Select(f => f.Name + "()"))})";

    private static IEnumerable<Type> ExportedTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetExportedTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or TypeLoadException)
        {
            // A type whose dependency is missing: the exports of the types that do load still count.
            try
            {
                return assembly.GetTypes().Where(t => t.IsPublic);
            }
            catch (ReflectionTypeLoadException partial)
            {
                return partial.Types.Where(t => t is { IsPublic: true })!;
            }
        }
    }
}
