using System.Reflection;
using System.Runtime.CompilerServices;
using Hub.Plugins;

namespace Hub.PluginHost.Options;

/// <summary>
/// The options class of a plugin, read by reflection: each public settable property is an option
/// (key from <see cref="OptionAttribute"/> or the property name in snake_case); defaults are the
/// property values of a fresh instance.
/// </summary>
public sealed class OptionsSchema
{
    private OptionsSchema(Type type, IReadOnlyList<OptionDefinition> options)
    {
        Type = type;
        Options = options;
    }

    public Type Type { get; }

    public IReadOnlyList<OptionDefinition> Options { get; }

    public OptionDefinition? Find(string key) => Options.FirstOrDefault(o => o.Key == key);

    /// <summary>The options class taken by <paramref name="pluginType"/>'s constructor, or null when it takes none.</summary>
    public static OptionsSchema? ForPlugin(Type pluginType) =>
        PluginConstructor.Find(pluginType)?.GetParameters().FirstOrDefault(p => PluginConstructor.IsOptionsType(p.ParameterType)) is { } parameter
            ? For(parameter.ParameterType)
            : null;

    /// <summary>Reads an options class; throws <see cref="PluginActivationException"/> for a property type the host cannot bind.</summary>
    public static OptionsSchema For(Type type)
    {
        var fresh = Activator.CreateInstance(type)
            ?? throw new PluginActivationException($"options class {type.FullName} cannot be created");
        var options = new List<OptionDefinition>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            if (!OptionConverter.IsSupported(property.PropertyType))
            {
                throw new PluginActivationException(
                    $"option {type.Name}.{property.Name} has type {property.PropertyType.Name}, which the host cannot bind (use bool, int, long, double, string, TimeSpan, an enum, or a list of those)");
            }

            var attribute = property.GetCustomAttribute<OptionAttribute>();
            var required = attribute?.Required == true || property.IsDefined(typeof(RequiredMemberAttribute));
            options.Add(new OptionDefinition(
                attribute?.Key ?? OptionNames.SnakeCase(property.Name),
                property,
                attribute?.Description,
                required,
                property.GetValue(fresh)));
        }

        return new OptionsSchema(type, options);
    }
}
