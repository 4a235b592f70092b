using System.Text;
using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureBinder;

/// <summary>
/// A sink whose binder counts: each <c>BindTarget</c> call appends <c>bind TARGET</c> to <c>binds.log</c> beside the
/// configuration; a target must be <c>['FILE']</c>. <c>SendAsync</c> takes only the bound target (it has no parser)
/// and appends <c>BINDING-ID MESSAGE</c> to its file (a new id per binding, in every load context), so a test sees
/// which binding delivered each message.
/// </summary>
[Plugin("fixture_binder")]
public sealed class CountingBinderSink(IPluginContext context) : ISink, ITargetBinder
{
    public object BindTarget(string? targetName, object? descriptor)
    {
        File.AppendAllText(Path.Combine(context.ConfigDirectory, "binds.log"), $"bind {targetName}\n");
        if (descriptor is not IReadOnlyList<object?> { Count: 1 } list || list[0] is not string file)
        {
            throw new FormatException("the target must be ['FILE']");
        }

        return new Binding(Path.Combine(context.ConfigDirectory, file), Guid.NewGuid().ToString("N"));
    }

    public async ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        var binding = item.Bound as Binding ?? throw new InvalidOperationException("the item came without its bound target");
        await using var stream = new FileStream(binding.Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"{binding.Id} {item.Message}\n"), cancellationToken);
    }

    private sealed record Binding(string Path, string Id);
}
