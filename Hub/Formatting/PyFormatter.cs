using System.Collections.Concurrent;
using System.Text;
using Hub.Plugins;

namespace Hub.Formatting;

/// <summary>Python <c>str.format</c> with transformation data as keyword arguments (mqttwarn-compat §7).</summary>
public sealed class PyFormatter : IDataFormatter
{
    /// <summary>The shared instance; it is thread-safe and caches parsed format strings.</summary>
    public static readonly PyFormatter Instance = new();

    private const int CacheCapacity = 1024;

    private readonly ConcurrentDictionary<string, ParsedFormat> cache = new(StringComparer.Ordinal);

    [ThreadStatic]
    private static StringBuilder? cachedBuilder;

    /// <inheritdoc />
    public string Format(string format, IReadOnlyDictionary<string, object?> data)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(data);
        var template = GetTemplate(format);
        if (template.ConstantText is { } constant)
        {
            return constant;
        }

        var builder = cachedBuilder ?? new StringBuilder(256);
        cachedBuilder = null;
        try
        {
            builder.Clear();
            template.Render(builder, data);
            return builder.ToString();
        }
        finally
        {
            if (builder.Capacity <= 16 * 1024)
            {
                cachedBuilder = builder;
            }
        }
    }

    /// <summary>As <see cref="Format"/>, with the failure as a value: the reason in <paramref name="error"/>.</summary>
    public bool TryFormat(string format, IReadOnlyDictionary<string, object?> data, out string result, out string? error)
    {
        try
        {
            result = Format(format, data);
            error = null;
            return true;
        }
        catch (FormatException exception)
        {
            result = "";
            error = exception.Message;
            return false;
        }
    }

    /// <summary>Checks a format string's syntax without data (for configuration validation).</summary>
    /// <exception cref="FormatException">The format string is malformed.</exception>
    public void Validate(string format) => GetTemplate(format);

    private FormatTemplate GetTemplate(string format)
    {
        if (!cache.TryGetValue(format, out var parsed))
        {
            parsed = ParsedFormat.From(format);
            if (cache.Count >= CacheCapacity)
            {
                cache.Clear();
            }

            cache.TryAdd(format, parsed);
        }

        return parsed.Template ?? throw new FormatException(parsed.Error);
    }

    private sealed record ParsedFormat(FormatTemplate? Template, string? Error)
    {
        public static ParsedFormat From(string format)
        {
            try
            {
                return new ParsedFormat(FormatTemplate.Parse(format), null);
            }
            catch (FormatException exception)
            {
                return new ParsedFormat(null, exception.Message);
            }
        }
    }
}
