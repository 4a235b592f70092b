using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Notify;

/// <summary>
/// mqttwarn's <c>pipe</c>: runs the target's program and writes the message, with a final
/// newline, to its standard input. No shell is involved.
/// </summary>
[Plugin("pipe", Description = "Write each message to a program's standard input (no shell)")]
public sealed class PipeSink : ISink, ITargetBinder
{
    private readonly IPluginContext _context;

    /// <summary>Takes its options class, though it is empty, so that the host warns about any key in <c>[config:NAME]</c>.</summary>
    public PipeSink(IPluginContext context, PipeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _context = context;
    }

    private const string Shape = "the target must be a list ['program', 'argument', …] whose first item names the program";

    public object BindTarget(string? targetName, object? descriptor) => ExecuteArgv(descriptor) ?? throw new FormatException(Shape);

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var argv = Descriptor.Bound(item, d => ExecuteArgv(d) ?? throw new FormatException(Shape), "pipe");
        await ProgramRun.RunAsync("pipe", argv, Input(item), cancellationToken);
        _context.Logger.LogDebug("pipe: '{Program}' for target {Target} read the message and exited with 0", Path.GetFileName(argv[0]), item.Target);
    }

    /// <summary>The message bytes, with a newline added unless they end with one (mqttwarn).</summary>
    public static ReadOnlyMemory<byte> Input(DeliveryItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var bytes = item.MessageBytes;
        return bytes.Length > 0 && bytes.Span[^1] == (byte)'\n' ? bytes : (byte[])[.. bytes.Span, (byte)'\n'];
    }

    private static List<string>? ExecuteArgv(object? descriptor) =>
        descriptor is IReadOnlyList<object?> { Count: > 0 } list
        && list.All(a => a is string or long or double or bool)
        && OptionValues.ToText(list[0]) is { Length: > 0 } program && !string.IsNullOrWhiteSpace(program)
            ? [.. list.Select(a => OptionValues.ToText(a)!)]
            : null;
}
