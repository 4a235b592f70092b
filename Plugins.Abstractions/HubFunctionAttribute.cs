namespace Hub.Plugins;

/// <summary>
/// Exports a public static method of a plugin assembly as a user function that <c>hub.ini</c> can
/// name where mqttwarn names a Python function: <c>filter = NAME()</c>, <c>datamap</c>, <c>alldata</c>,
/// <c>format</c>, <c>title</c>, <c>priority</c>, <c>image</c>, <c>targets</c> and <c>[cron]</c> keys.
/// Exported functions win over functions of the <c>functions =</c> script with the same name.
/// </summary>
/// <remarks>
/// The method's parameters decide which hooks it can serve (checked when the configuration loads):
/// <list type="bullet">
/// <item><c>bool F(string topic, string payload)</c>: <c>filter</c>, true suppresses the message.</item>
/// <item><c>IDictionary&lt;string, object?&gt;? F(string topic, IDictionary&lt;string, object?&gt; data)</c>: <c>datamap</c>, <c>alldata</c>.</item>
/// <item><c>IEnumerable&lt;string&gt; F(string topic, IDictionary&lt;string, object?&gt; data)</c>: <c>targets</c>.</item>
/// <item><c>object? F(IDictionary&lt;string, object?&gt; data)</c>: <c>format</c>, <c>title</c>, <c>priority</c>, <c>image</c>.</item>
/// <item><c>void F()</c> or <c>Task F()</c>: a <c>[cron]</c> job.</item>
/// </list>
/// Each may take one more, last parameter: an <see cref="Microsoft.Extensions.Logging.ILogger"/>
/// (the section's logger) or <c>object</c> (the hub's hook context).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HubFunctionAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The name written in <c>hub.ini</c> (without the parentheses); null for the method's name.</param>
    public HubFunctionAttribute(string? name = null) => Name = name;

    /// <summary>The name written in <c>hub.ini</c>, or null for the method's own name.</summary>
    public string? Name { get; }
}
