using System.Globalization;
using System.Text;
using Hub.Mqtt;

namespace Hub.Cli;

/// <summary>
/// <c>hub test --property NAME=VALUE --user-property NAME=VALUE</c>: MQTT 5.0 properties for the dry-run message,
/// named as mosquitto_pub's <c>-D publish</c> names them.
/// </summary>
internal static class TestProperties
{
    public const string Names = "content-type, response-topic, correlation-data, message-expiry-interval, payload-format-indicator";

    /// <summary>The properties, or null with <paramref name="error"/> set; null without error when none are given.</summary>
    public static MqttMessageProperties? Parse(IReadOnlyList<string> properties, IReadOnlyList<string> userProperties, out string? error)
    {
        error = null;
        if (properties.Count == 0 && userProperties.Count == 0)
        {
            return null;
        }

        var result = new MqttMessageProperties();
        foreach (var text in properties)
        {
            if (!Split(text, out var name, out var value))
            {
                error = $"--property must be NAME=VALUE, not '{text}'";
                return null;
            }

            switch (name)
            {
                case "content-type": result = result with { ContentType = value }; break;
                case "response-topic": result = result with { ResponseTopic = value }; break;
                case "correlation-data": result = result with { CorrelationData = Encoding.UTF8.GetBytes(value) }; break;
                case "message-expiry-interval" when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds):
                    result = result with { MessageExpiryInterval = seconds };
                    break;
                case "payload-format-indicator" when value is "0" or "1": result = result with { PayloadFormatIndicator = value == "1" ? (byte)1 : (byte)0 }; break;
                case "message-expiry-interval" or "payload-format-indicator":
                    error = $"--property {name} has a bad value '{value}'";
                    return null;
                default:
                    error = $"--property {name} is unknown; known: {Names}";
                    return null;
            }
        }

        var user = new List<KeyValuePair<string, string>>();
        foreach (var text in userProperties)
        {
            if (!Split(text, out var name, out var value))
            {
                error = $"--user-property must be NAME=VALUE, not '{text}'";
                return null;
            }

            user.Add(KeyValuePair.Create(name, value));
        }

        return result with { UserProperties = user };
    }

    private static bool Split(string text, out string name, out string value)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        name = equals > 0 ? text[..equals] : "";
        value = equals > 0 ? text[(equals + 1)..] : "";
        return equals > 0;
    }
}
