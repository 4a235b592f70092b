using Hub.Config;
using Hub.Formatting;
using Hub.Functions;
using Hub.Functions.Templates;
using Hub.Logging;
using Hub.Routing;
using Microsoft.Extensions.Logging;

namespace Hub.Pipeline;

/// <summary>The router's calls into user functions and templates (mqttwarn-compat §6.4–§6.6): a failing function never stops routing.</summary>
public sealed partial class MessageRouter
{
    /// <summary>True when the section's filter suppresses the message; an exception or invalid UTF-8 lets it pass.</summary>
    internal async ValueTask<bool> IsFilteredAsync(SectionHooks hooks, BoundFunction filter, TopicSection section, string topic, ReadOnlyMemory<byte> payload)
    {
        if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
        {
            _logger.LogWarning("Filter {Function}() in section [{Section}] not called: the payload on {Topic} is not valid UTF-8; the message passes", filter.Name, section.Name, topic);
            return false;
        }

        if (await TryCallAsync(hooks, filter, [topic, System.Text.Encoding.UTF8.GetString(payload.Span)], section).ConfigureAwait(false) is not (true, true, _))
        {
            return false;
        }

        _logger.Log(PyLogLevel.Parse(_config.Defaults.FilteredMessagesLogLevel), "Filter in section [{Section}] has skipped message on {Topic}", section.Name, topic);
        return true;
    }

    /// <summary><c>datamap</c> then <c>alldata</c>, each merged when it returns an object (§6.3); they get copies of the data.</summary>
    private async ValueTask MergeFunctionDataAsync(SectionHooks hooks, TopicSection section, string topic, OrderedDictionary<string, object?> data)
    {
        foreach (var function in new[] { hooks.Datamap, hooks.Alldata })
        {
            if (function is not null && await TryCallAsync(hooks, function, [topic, TransformationData.Copy(data)], section).ConfigureAwait(false) is (true, var result, _))
            {
                if (FunctionValues.ToObject(result) is { } merged)
                {
                    TransformationData.Merge(data, merged);
                }
                else if (result is not null)
                {
                    _logger.LogDebug("{Function}() returned {Type}, not an object: nothing merged", function.Name, result.GetType().Name);
                }
            }
        }
    }

    /// <summary>The references a targets function returns; null (after logging) when it fails or returns something else than a list of text.</summary>
    private async ValueTask<List<string>?> CallTargetsAsync(SectionHooks hooks, BoundFunction function, TopicSection section, string topic, IReadOnlyDictionary<string, object?> data, SectionOutcome outcome)
    {
        var (ok, result, reason) = await TryCallAsync(hooks, function, [topic, TransformationData.Copy(data)], section, quiet: true).ConfigureAwait(false);
        if (ok && result is not string && result is IEnumerable<object?> items && items.ToList() is var list && list.All(i => i is string))
        {
            return list.Cast<string>().ToList();
        }

        Problem(outcome, $"Topic target definition by function \"{function.Name}\" in section \"{section.Name}\" is empty or incorrect. Should be a list. {reason ?? $"It returned {Describe(result)}"}");
        return null;
    }

    /// <summary>A format/title/image function's result as text; <paramref name="fallback"/> when it fails. Null stays null (a suppressed message).</summary>
    private async ValueTask<string?> CallTextAsync(SectionHooks hooks, BoundFunction function, SectionOutcome outcome, IReadOnlyDictionary<string, object?> data, string fallback, string key)
    {
        var (called, result, reason) = await TryCallAsync(hooks, function, [TransformationData.Copy(data)], outcome.Section).ConfigureAwait(false);
        if (called)
        {
            return result is null ? null : PyValue.Str(FunctionValues.ToData(result));
        }

        var text = PyValue.ExpandNewlines(fallback);
        Fallback(outcome, key, $"function {function.Name}() failed: {reason}", text);
        return text;
    }

    private async ValueTask<int> CallPriorityAsync(SectionHooks hooks, BoundFunction function, SectionOutcome outcome, IReadOnlyDictionary<string, object?> data)
    {
        var section = outcome.Section;
        var (called, result, reason) = await TryCallAsync(hooks, function, [TransformationData.Copy(data)], section).ConfigureAwait(false);
        if (!called)
        {
            if (ExplainFallbacks)
            {
                outcome.Fallbacks.Add($"priority function {function.Name}() failed: {reason}; falls back to 0");
            }

            return 0;
        }

        var priority = PriorityConverter.ToPriority(result, out var ok);
        if (!ok)
        {
            Counters.OnFunctionFailure();
            _logger.LogError("Failed to determine the priority, defaulting to zero (section [{Section}], {Function}() returned {Value})", section.Name, function.Name, Describe(result));
            if (ExplainFallbacks)
            {
                outcome.Fallbacks.Add($"priority function {function.Name}() returned {Describe(result)}, not an integer; falls back to 0");
            }

        }

        return priority;
    }

    /// <summary>Renders the section's template; success replaces the message, failure keeps it (§6.6).</summary>
    private void ApplyTemplate(TemplateRenderer template, SectionOutcome outcome, IReadOnlyDictionary<string, object?> data)
    {
        try
        {
            outcome.Message = template.Render(data);
        }
        catch (Exception ex)
        {
            Problem(outcome, $"Rendering template failed: {template.Name} ({ex.Message})");
        }
    }

    /// <summary>Calls a user function under the functions' timeout, awaited (the worker thread is not blocked); a failure is logged and counted unless <paramref name="quiet"/>.</summary>
    private async ValueTask<(bool Ok, object? Result, string? Reason)> TryCallAsync(
        SectionHooks hooks, BoundFunction function, object?[] arguments, TopicSection section, bool quiet = false)
    {
        try
        {
            return (true, await function.InvokeAsync(arguments, hooks.Context, _functions.Timeout, _time).ConfigureAwait(false), null);
        }
        catch (Exception ex)
        {
            var reason = ex is TimeoutException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            if (!quiet)
            {
                Counters.OnFunctionFailure();
                _logger.LogError("Invoking function failed: {Function}() (section [{Section}]: {Reason})", function.Name, section.Name, reason);
            }

            return (false, null, reason);
        }
    }

    private static string Describe(object? value) => value is null ? "None" : PyValue.Repr(FunctionValues.ToData(value));
}
