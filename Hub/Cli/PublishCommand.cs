using System.Text;
using Hub.Config;
using Hub.Mqtt;
using Hub.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hub.Cli;

/// <summary><c>hub publish TOPIC PAYLOAD [--qos N] [--retain]</c> with the project's own client and the configured broker.</summary>
internal static class PublishCommand
{
    public static async Task<int> ExecuteAsync(string? configOption, string topic, string payload, int qos, bool retain, string? host, int? port, CliContext cli, CancellationToken cancellationToken)
    {
        DefaultsOptions defaults;
        var path = ConfigSource.ResolvePath(configOption);
        if (File.Exists(path))
        {
            var config = ConfigSource.Load(configOption, cli, printWarnings: false);
            if (config is null)
            {
                return ExitCodes.ConfigError;
            }

            defaults = config.Defaults;
        }
        else
        {
            defaults = new DefaultsOptions();
        }

        if (qos is < 0 or > 2)
        {
            cli.Error.WriteLine("hub: --qos must be 0, 1 or 2");
            return ExitCodes.ConfigError;
        }

        var options = MqttOptionsFactory.FromDefaults(defaults, $"hub-publish-{Environment.ProcessId}");
        options = new MqttClientOptions
        {
            Host = host ?? options.Host,
            Port = port ?? options.Port,
            ClientId = options.ClientId,
            Username = options.Username,
            Password = options.Password,
            ProtocolLevel = options.ProtocolLevel,
            KeepAliveSeconds = options.KeepAliveSeconds,
            CleanSession = true,
            Tls = options.Tls,
        };

        await using var client = new MqttClient(options, NullLogger.Instance);
        try
        {
            await client.ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
            await client.PublishAsync(new MqttApplicationMessage(topic, Encoding.UTF8.GetBytes(payload), qos, retain), cancellationToken).ConfigureAwait(false);
            await client.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectException ex)
        {
            cli.Error.WriteLine($"hub: {ex.Message}");
            return ExitCodes.Failure;
        }

        cli.Out.WriteLine($"published {Encoding.UTF8.GetByteCount(payload)} bytes to {topic} (qos {qos}{(retain ? ", retained" : "")})");
        return ExitCodes.Ok;
    }
}
