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
            var problems = instance switch
            {
                ITargetBinder binder => BindOne(binder, service, target, bound),
                ITargetValidator validator => Validate(validator, target),
                _ => [],
            };
            foreach (var problem in problems)
            {
                var name = target.Name is null ? "" : $" target '{target.Name}'";
                errors.Add(new ConfigDiagnostic(target.Location, $"[config:{service.Name}]{name}: {problem}"));
            }
        }
    }

    private static IReadOnlyList<string> BindOne(ITargetBinder binder, ServiceConfig service, ServiceTarget target, Dictionary<(string Service, string? Target), object> bound)
    {
        try
        {
            bound[(service.Name, target.Name)] = binder.BindTarget(target.Name, target.Descriptor)
                ?? throw new InvalidOperationException("it bound the target to null");
            return [];
        }
        catch (FormatException ex)
        {
            return [ex.Message];
        }
        catch (Exception ex)
        {
            return [$"the plugin's binder failed: {ex.Message}"];
        }
    }

    private static IReadOnlyList<string> Validate(ITargetValidator validator, ServiceTarget target)
    {
        try
        {
            return validator.ValidateTarget(target.Name, target.Descriptor).ToList();
        }
        catch (Exception ex)
        {
            return [$"the plugin's validator failed: {ex.Message}"];
        }
    }
}
