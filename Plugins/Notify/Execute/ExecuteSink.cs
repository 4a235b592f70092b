using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>execute</c>: runs the target's program with its arguments, the placeholder
/// (<c>[TEXT]</c>) replaced by the message. No shell is involved, so the message is one argument
/// whatever it holds.
/// </summary>
[Plugin("execute", Description = "Run a program with the message in its arguments (no shell)")]
public sealed class ExecuteSink(IPluginContext context, ExecuteOptions options) : ISink, ITargetBinder
{
    private const string Shape = "the target must be a list ['program', 'argument', …] whose first item names the program";

    public object BindTarget(string? targetName, object? descriptor) => Argv(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var argv = Descriptor.Bound(item, d => Argv(d) ?? throw new FormatException(Shape), "execute");
        var command = argv.Select(a => a.Replace(options.TextReplace, item.Message, StringComparison.Ordinal)).ToList();
        await ProgramRun.RunAsync("execute", command, null, cancellationToken);
        context.Logger.LogDebug("execute: '{Program}' for target {Target} exited with 0", Path.GetFileName(command[0]), item.Target);
    }

    /// <summary>The argument vector: a list of texts (numbers count as their text) with a program first.</summary>
    public static List<string>? Argv(object? descriptor) =>
        descriptor is IReadOnlyList<object?> { Count: > 0 } list
        && list.All(a => a is string or long or double or bool)
        && OptionValues.ToText(list[0]) is { Length: > 0 } program && !string.IsNullOrWhiteSpace(program)
            ? [.. list.Select(a => OptionValues.ToText(a)!)]
            : null;
}
