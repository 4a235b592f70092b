using System.Runtime.InteropServices;
using Hub.Plugins;

namespace Hub.Tests.Fixtures.FixtureNative;

/// <summary>Calls a native library found only in its own folder; puts the answer in key <c>native</c>.</summary>
[Plugin("fixture_native")]
public sealed partial class NativeTransform : IMessageTransform
{
    public ValueTask<IReadOnlyDictionary<string, object?>?> TransformAsync(PipelineMessage message, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, object?> result = new Dictionary<string, object?> { ["native"] = (long)Answer(21) };
        return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(result);
    }

    [LibraryImport("fixturenative", EntryPoint = "fixture_native_answer")]
    private static partial int Answer(int x);
}
