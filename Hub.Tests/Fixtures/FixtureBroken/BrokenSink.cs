using Hub.Plugins;
using Newtonsoft.Json;

namespace Hub.Tests.Fixtures.FixtureBroken;

/// <summary>Derives from a type of a dependency that is not installed, so the type itself cannot load.</summary>
[Plugin("fixture_broken")]
public sealed class BrokenSink : JsonConverter, ISink
{
    public override bool CanConvert(Type objectType) => false;

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer) => null;

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer)
    {
    }

    public ValueTask SendAsync(DeliveryItem item, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
