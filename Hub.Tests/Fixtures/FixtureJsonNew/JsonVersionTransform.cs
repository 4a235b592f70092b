using Hub.Plugins;
using Newtonsoft.Json;

namespace Hub.Tests.Fixtures.FixtureJsonNew;

/// <summary>Reports the version of Newtonsoft.Json it sees, and uses it, in key <c>newtonsoft</c>.</summary>
[Plugin("fixture_json_new")]
public sealed class JsonVersionTransform : IMessageTransform
{
    public ValueTask<IReadOnlyDictionary<string, object?>?> TransformAsync(PipelineMessage message, CancellationToken cancellationToken)
    {
        var version = typeof(JsonConvert).Assembly.GetName().Version!.ToString();
        IReadOnlyDictionary<string, object?> result = new Dictionary<string, object?>
        {
            ["newtonsoft"] = version,
            ["json"] = JsonConvert.SerializeObject(message.Topic),
        };
        return ValueTask.FromResult<IReadOnlyDictionary<string, object?>?>(result);
    }
}
