using System.Reflection;
using System.Runtime.Loader;
using Hub.Plugins;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Extensions.Logging;

namespace Hub.Functions;

/// <summary>
/// The <c>functions = udf.csx</c> script: C# script code whose top-level methods are user functions.
/// Compiled once when the configuration loads; its top-level statements run once then (e.g. to set
/// up fields the functions share).
/// </summary>
internal sealed class ScriptFunctions
{
    private static readonly string[] Imports =
    [
        "System", "System.Collections.Generic", "System.Globalization", "System.IO", "System.Linq", "System.Text",
        "System.Text.Json", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks",
        "Microsoft.Extensions.Logging", "Hub.Functions",
    ];

    private ScriptFunctions(string path, IReadOnlyList<UserFunction> functions)
    {
        Path = path;
        Functions = functions;
    }

    /// <summary>Absolute path of the script.</summary>
    public string Path { get; }

    /// <summary>The script's top-level methods, in declaration order.</summary>
    public IReadOnlyList<UserFunction> Functions { get; }

    /// <summary>Compiles and initialises the script; on failure returns null and the problems as (line, message), line 0 when unknown.</summary>
    public static ScriptFunctions? Load(string path, List<(int Line, string Message)> problems)
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

        var options = ScriptOptions.Default
            .WithFilePath(path)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithReferences(References())
            .WithImports(Imports)
            .WithEmitDebugInformation(false);
        var script = CSharpScript.Create(code, options);
        var compilation = script.GetCompilation();
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        foreach (var error in emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var line = error.Location.IsInSource ? error.Location.GetLineSpan().StartLinePosition.Line + 1 : 0;
            problems.Add((line, $"{error.Id}: {error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"));
        }

        if (!emitted.Success)
        {
            return null;
        }

        try
        {
            return new ScriptFunctions(path, Instantiate(path, compilation, image.ToArray()));
        }
        catch (Exception ex)
        {
            var inner = ex is TargetInvocationException { InnerException: { } e } ? e : ex;
            problems.Add((0, $"running the script's top-level code failed: {inner.GetType().Name}: {inner.Message}"));
            return null;
        }
    }

    // Roslyn compiles a script into a class whose static <Factory>(object[] submissions) creates the
    // instance, stores it in submissions[1] and runs the top-level statements; the declared methods are
    // instance methods of that class.
    private static List<UserFunction> Instantiate(string path, Compilation compilation, byte[] image)
    {
        var entry = compilation.GetEntryPoint(CancellationToken.None) ?? throw new InvalidOperationException("the script has no entry point");
        var assembly = AssemblyLoadContext.Default.LoadFromStream(new MemoryStream(image));
        var type = assembly.GetType(entry.ContainingType.MetadataName, throwOnError: true)!;
        var submissions = new object?[2];
        var factory = type.GetMethod(entry.MetadataName, BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
        ((Task)factory.Invoke(null, [submissions])!).GetAwaiter().GetResult();
        var instance = submissions[1];
        var file = System.IO.Path.GetFileName(path);
        return entry.ContainingType.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsImplicitlyDeclared && m.CanBeReferencedByName)
            .Select(m => (Symbol: m, Method: FindMethod(type, m)))
            .Where(m => m.Method is not null)
            .Select(m => new UserFunction(m.Symbol.Name, m.Method!, m.Method!.IsStatic ? null : instance,
                $"{file}:{m.Symbol.Locations[0].GetLineSpan().StartLinePosition.Line + 1}"))
            .ToList();
    }

    private static MethodInfo? FindMethod(Type type, IMethodSymbol symbol) =>
        type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .FirstOrDefault(m => m.Name == symbol.Name && m.GetParameters().Length == symbol.Parameters.Length);

    private static IEnumerable<MetadataReference> References()
    {
        var platform = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => System.IO.Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal)
                || name is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll"));
        var own = new[] { typeof(HookContext).Assembly.Location, typeof(HubFunctionAttribute).Assembly.Location, typeof(ILogger).Assembly.Location };
        return platform.Concat(own).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Select(p => MetadataReference.CreateFromFile(p));
    }
}
