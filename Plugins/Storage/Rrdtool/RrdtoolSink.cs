using Hub.Plugins.Common;
using Microsoft.Extensions.Logging;

namespace Hub.Plugins.Storage;

/// <summary>
/// mqttwarn's <c>rrdtool</c>: runs <c>rrdtool update</c> with the target's arguments (the RRD file first,
/// then options such as <c>--template</c>) and the message: a whole number becomes <c>N:VALUE</c> (now),
/// anything else is split at spaces into update arguments (<c>1700000000:21.5:40</c>). A batch makes one
/// <c>rrdtool update</c> per run of messages for the same target, with every update in order.
/// </summary>
[Plugin("rrdtool", Description = "Update a round-robin database with rrdtool update")]
public sealed class RrdtoolSink(IPluginContext context, RrdtoolOptions options) : IBatchSink, ITargetBinder
{
    public int MaxBatchSize => 1000;

    /// <summary>The target's <c>rrdtool update</c> arguments: the RRD file, then options.</summary>
    public object BindTarget(string? targetName, object? descriptor) => Arguments(descriptor);

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => SendBatchAsync([item], cancellationToken);

    public async ValueTask SendBatchAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var i = 0;
        while (i < items.Count)
        {
            // The bound target (or, for items the host did not make, the descriptor) of this run of items.
            var run = items[i].Bound ?? items[i].Addrs;
            var argv = new List<string> { options.Program, "update" };
            argv.AddRange(Descriptor.Bound(items[i], Arguments, "rrdtool"));
            argv[2] = Path.IsPathRooted(argv[2]) ? argv[2] : Path.Combine(context.ConfigDirectory, argv[2]);
            var updates = 0;
            for (; i < items.Count && ReferenceEquals(items[i].Bound ?? items[i].Addrs, run); i++)
            {
                var text = items[i].Message.Trim();
                if (text.Length == 0)
                {
                    context.Logger.LogWarning("rrdtool: empty message on {Topic} left out", items[i].Topic);
                    continue;
                }

                if (text.All(char.IsAsciiDigit))
                {
                    argv.Add("N:" + text);
                }
                else
                {
                    argv.AddRange(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                }

                updates++;
            }

            if (updates > 0)
            {
                await ProgramRun.RunAsync("rrdtool update", argv, null, cancellationToken);
                context.Logger.LogDebug("rrdtool: {Count} updates of {File}", updates, argv[2]);
            }
        }
    }

    private static IReadOnlyList<string> Arguments(object? descriptor)
    {
        var items = Descriptor.Items(descriptor);
        if (items.Count == 0 || items.Any(i => i is not string { Length: > 0 }))
        {
            throw new FormatException("the target must be ['file.rrd', 'option'...]: the RRD file, then rrdtool update options such as '--template', 'ds1:ds2'");
        }

        return [.. items.Cast<string>()];
    }
}
