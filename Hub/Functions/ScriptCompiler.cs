using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace Hub.Functions;

/// <summary>
/// Compiles a <c>udf.csx</c> with Roslyn. The only place that touches Roslyn, so that a script loaded
/// from <see cref="ScriptCache"/> never loads or JIT-compiles it (that is most of the 1.5 to 2.4 s a
/// compilation costs).
/// </summary>
internal static class ScriptCompiler
{
    private static readonly string[] Imports =
    [
        "System", "System.Collections.Generic", "System.Globalization", "System.IO", "System.Linq", "System.Text",
        "System.Text.Json", "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks",
        "Microsoft.Extensions.Logging", "Hub.Functions",
    ];

    /// <summary>
    /// What the compiled image depends on besides the script's text, for the cache key: the imports, the
    /// reference set (the runtime's version is in its paths), the hub's build and the Roslyn version. Read
    /// without loading Roslyn.
    /// </summary>
    public static IEnumerable<string> Inputs()
    {
        var hub = typeof(ScriptCompiler).Assembly;
        var roslyn = hub.GetReferencedAssemblies().Where(a => a.Name?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true).Select(a => a.FullName);
        var builds = new[] { hub, typeof(Hub.Plugins.HubFunctionAttribute).Assembly }.Select(a => $"{a.GetName().FullName} {a.ManifestModule.ModuleVersionId}");
        return Imports.Concat(ReferencePaths()).Concat(roslyn).Concat(builds).Append(Environment.Version.ToString());
    }

    /// <summary>Compiles the script; null with the problems as (line, message) when it does not compile.</summary>
    public static (byte[] Image, CompiledScript Script)? Compile(string path, string code, List<(int Line, string Message)> problems)
    {
        var options = ScriptOptions.Default
            .WithFilePath(path)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithReferences(ReferencePaths().Select(p => MetadataReference.CreateFromFile(p)))
            .WithImports(Imports)
            .WithEmitDebugInformation(false);
        var compilation = CSharpScript.Create(code, options).GetCompilation();
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

        // Roslyn compiles a script into a class whose static <Factory>(object[] submissions) creates the
        // instance and runs the top-level statements; the declared methods are members of that class.
        var entry = compilation.GetEntryPoint(CancellationToken.None) ?? throw new InvalidOperationException("the script has no entry point");
        var functions = entry.ContainingType.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsImplicitlyDeclared && m.CanBeReferencedByName)
            .Select(m => new CompiledScriptFunction(m.Name, m.Parameters.Length, m.Locations[0].GetLineSpan().StartLinePosition.Line + 1))
            .ToList();
        return (image.ToArray(), new CompiledScript(entry.ContainingType.MetadataName, entry.MetadataName, functions));
    }

    private static IEnumerable<string> ReferencePaths()
    {
        var platform = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal)
                || name is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Extensions.Logging.Abstractions.dll"));
        var own = new[] { typeof(HookContext).Assembly.Location, typeof(Hub.Plugins.HubFunctionAttribute).Assembly.Location, typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location };
        return platform.Concat(own).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal);
    }
}
