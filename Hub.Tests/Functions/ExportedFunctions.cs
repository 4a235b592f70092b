using Hub.Plugins;
using Microsoft.Extensions.Logging;

namespace Hub.Tests.Functions;

/// <summary>Functions exported the way a plugin assembly exports them (this test assembly plays the plugin).</summary>
public static class ExportedFunctions
{
    [HubFunction("shout")]
    public static object? Shout(IDictionary<string, object?> data) => $"{data["payload"]}!".ToUpperInvariant();

    [HubFunction]
    public static bool Quiet(string topic, string payload, ILogger logger)
    {
        logger.LogInformation("quiet() saw {Topic}", topic);
        return payload == "hush";
    }

    [HubFunction("Twin")]
    public static object? TwinUpper(IDictionary<string, object?> data) => "upper";

    [HubFunction("twin")]
    public static object? TwinLower(IDictionary<string, object?> data) => "lower";
}
