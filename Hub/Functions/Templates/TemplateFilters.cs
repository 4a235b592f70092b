using Scriban.Runtime;

namespace Hub.Functions.Templates;

/// <summary>The filters the hub adds to Liquid's: mqttwarn's <c>jsonify</c> and the Jinja2 names of common filters.</summary>
internal static class TemplateFilters
{
    /// <summary>Shared by every render; never written to (a template's <c>assign</c> goes to its own variables).</summary>
    public static ScriptObject Functions { get; } = Create();

    private static ScriptObject Create()
    {
        var functions = new ScriptObject();
        functions.Import(typeof(JinjaFilters), renamer: member => member.Name.ToLowerInvariant());
        return functions;
    }
}
