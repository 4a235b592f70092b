namespace Hub.Plugins;

/// <summary>
/// Marks a class as a Hub plugin: a sink (<see cref="ISink"/>), filter (<see cref="IMessageFilter"/>),
/// transform (<see cref="IMessageTransform"/>), analytics stage (<see cref="IAnalytics"/>), source
/// (<see cref="IMessageSource"/>) or scheduled job (<see cref="IScheduledJob"/>). <see cref="Name"/> is the name used in <c>hub.ini</c>
/// (<c>[config:NAME]</c>, or <c>module = NAME</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class PluginAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="name">The plugin name used in <c>hub.ini</c>; lower case by convention.</param>
    public PluginAttribute(string name) => Name = name;

    /// <summary>The plugin name used in <c>hub.ini</c>.</summary>
    public string Name { get; }

    /// <summary>A one-line description shown by <c>hub plugins</c>.</summary>
    public string? Description { get; init; }
}
