using Hub.Config;
using Hub.Plugins;

namespace Hub.PluginHost;

/// <summary>
/// Turns the target descriptors of one service into what its sink delivers to, once per graph: through the plugin's
/// <see cref="ITargetBinder"/> (the typed target, handed back on every item as <see cref="DeliveryItem.Bound"/>), else
/// checked by its <see cref="ITargetValidator"/>. A wrong shape is an error at the target's line.
/// </summary>
internal static class TargetBindings
{
    public static void Bind(ServiceConfig service, object instance, Dictionary<(string Service, string? Target), object> bound, List<ConfigDiagnostic> errors)
    {
        foreach (var target in service.Targets)
        {
            var problems = Check(instance, target.Name, target.Descriptor, out var result);
            if (result is not null)
            {
                bound[(service.Name, target.Name)] = result;
            }

            foreach (var problem in problems)
            {
                var name = target.Name is null ? "" : $" target '{target.Name}'";
                errors.Add(new ConfigDiagnostic(target.Location, $"[config:{service.Name}]{name}: {problem}"));
            }
        }
    }

    /// <summary>
    /// One descriptor through the plugin's binder (<paramref name="bound"/>: its result) or validator; the problems with
    /// it, none when it is valid. A plugin with neither accepts every descriptor.
    /// </summary>
    public static IReadOnlyList<string> Check(object instance, string? targetName, object? descriptor, out object? bound)
    {
        bound = null;
        try
        {
            switch (instance)
            {
                case ITargetBinder binder:
                    bound = binder.BindTarget(targetName, descriptor) ?? throw new InvalidOperationException("it bound the target to null");
                    return [];
                case ITargetValidator validator:
                    return validator.ValidateTarget(targetName, descriptor).ToList();
                default:
                    return [];
            }
        }
        catch (FormatException ex) when (instance is ITargetBinder)
        {
            return [ex.Message];
        }
        catch (Exception ex)
        {
            return [$"the plugin's {(instance is ITargetBinder ? "binder" : "validator")} failed: {ex.Message}"];
        }
    }
}
