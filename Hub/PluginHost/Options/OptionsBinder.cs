using System.ComponentModel.DataAnnotations;
using Hub.Plugins;

namespace Hub.PluginHost.Options;

/// <summary>
/// Binds an options class from the keys of <c>[config:NAME]</c>: converts each value to its property's
/// type, reports missing required keys, unknown keys (a warning: typos should not go unnoticed),
/// DataAnnotations attributes and <see cref="IValidatableOptions"/>. Every problem is collected, so
/// <c>hub check</c> reports them all at once.
/// </summary>
public static class OptionsBinder
{
    /// <summary>Keys of <c>[config:NAME]</c> the host itself reads; they are never unknown to a plugin.</summary>
    public static readonly IReadOnlySet<string> HostKeys = new HashSet<string>(StringComparer.Ordinal) { "decode_utf8", "module", "targets", "plugin_timeout", "interval" };

    /// <summary>Whether the host reads <paramref name="key"/> itself: <see cref="HostKeys"/> and the delivery policy's keys (<c>retries</c>, <c>rate.TARGET</c>, …).</summary>
    public static bool IsHostKey(string key) => HostKeys.Contains(key) || Hub.Delivery.DeliveryPolicy.IsPolicyKey(key);

    public static (object Options, IReadOnlyList<OptionDiagnostic> Diagnostics) Bind(OptionsSchema schema, IReadOnlyDictionary<string, object?> values)
    {
        var diagnostics = new List<OptionDiagnostic>();
        var options = Activator.CreateInstance(schema.Type)!;
        foreach (var (key, value) in values)
        {
            if (schema.Find(key) is not { } option)
            {
                if (!IsHostKey(key))
                {
                    var known = schema.Options.Count == 0 ? "this plugin has no options" : "known options: " + string.Join(", ", schema.Options.Select(o => o.Key));
                    diagnostics.Add(new OptionDiagnostic(key, $"unknown option, ignored ({known})", IsError: false));
                }

                continue;
            }

            if (value is null)
            {
                continue; // None means unset: the default stays
            }

            try
            {
                option.Property.SetValue(options, OptionConverter.Convert(value, option.Type));
            }
            catch (FormatException ex)
            {
                diagnostics.Add(new OptionDiagnostic(key, ex.Message));
            }
        }

        foreach (var option in schema.Options.Where(o => o.Required && !(values.TryGetValue(o.Key, out var v) && v is not null)))
        {
            diagnostics.Add(new OptionDiagnostic(null, $"option '{option.Key}' is required{(option.Description is null ? "" : $" ({option.Description})")}"));
        }

        if (diagnostics.Any(d => d.IsError))
        {
            return (options, diagnostics); // validating half-bound options would only add noise
        }

        diagnostics.AddRange(Annotations(schema, options));
        if (options is IValidatableOptions validatable)
        {
            try
            {
                diagnostics.AddRange(validatable.Validate().Select(p => new OptionDiagnostic(p.Key, p.Message)));
            }
            catch (Exception ex)
            {
                diagnostics.Add(new OptionDiagnostic(null, $"the options validation of the plugin failed: {ex.Message}"));
            }
        }

        return (options, diagnostics);
    }

    private static IEnumerable<OptionDiagnostic> Annotations(OptionsSchema schema, object options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var member = result.MemberNames.FirstOrDefault();
            var key = schema.Options.FirstOrDefault(o => o.Property.Name == member)?.Key;
            yield return new OptionDiagnostic(key, result.ErrorMessage ?? "is invalid");
        }
    }
}
