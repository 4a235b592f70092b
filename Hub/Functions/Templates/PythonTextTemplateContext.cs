using System.Numerics;
using Hub.Formatting;
using Scriban;

namespace Hub.Functions.Templates;

/// <summary>
/// A Liquid context that prints data values as Python's <c>str()</c> (mqttwarn-compat §7.4), so a template prints
/// <c>21.0</c>, <c>True</c> and <c>{'a': 1}</c> as the Jinja2 template did and as <c>format = {x}</c> does.
/// Null prints as nothing (Liquid's nil), where Jinja2 prints <c>None</c>.
/// </summary>
internal sealed class PythonTextTemplateContext : LiquidTemplateContext
{
    public override string ObjectToString(object? value, bool nested = false) => value switch
    {
        bool or double or float or decimal or BigInteger or byte[] => PyValue.Str(value),
        IReadOnlyDictionary<string, object?> or List<object?> => PyValue.Str(value),
        _ => base.ObjectToString(value, nested) ?? "",
    };
}
