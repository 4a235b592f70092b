using System.Security.Authentication;
using System.Text;
using Hub.Config;
using Hub.Mqtt;

namespace Hub.Runtime;

/// <summary>Builds the MQTT client options from <c>[defaults]</c>.</summary>
public static class MqttOptionsFactory
{
    public static MqttClientOptions FromDefaults(DefaultsOptions d, string? clientIdOverride = null) => new()
    {
        Host = d.Hostname,
        Port = d.Port,
        ClientId = clientIdOverride ?? d.ClientId,
        Username = string.IsNullOrEmpty(d.Username) ? null : d.Username,
        Password = string.IsNullOrEmpty(d.Username) ? null : d.Password,
        ProtocolLevel = d.Protocol,
        KeepAliveSeconds = d.KeepAlive,
        CleanSession = d.CleanSession,
        SessionExpiryInterval = d.SessionExpiry,
        ReceiveMaximum = d.ReceiveMaximum,
        TopicAliasMaximum = d.TopicAliasMaximum,
        UseTopicAliases = d.TopicAliases,
        Will = string.IsNullOrEmpty(d.Lwt) ? null : new MqttWill(d.Lwt, Encoding.UTF8.GetBytes(d.LwtDead), 0, true),
        Tls = d.Tls || d.CaCerts is not null
            ? new MqttTlsOptions
            {
                CaCertsPath = d.CaCerts,
                CertFile = d.CertFile,
                KeyFile = d.KeyFile,
                Insecure = d.TlsInsecure,
                Protocols = TlsProtocols(d.TlsVersion),
            }
            : null,
    };

#pragma warning disable SYSLIB0039 // mqttwarn configurations may pin TLS 1.0/1.1; the platform decides whether it allows them.
    private static SslProtocols TlsProtocols(string? version) => version switch
    {
        "tlsv1" => SslProtocols.Tls,
        "tlsv1_1" => SslProtocols.Tls11,
        "tlsv1_2" => SslProtocols.Tls12,
        "tlsv1_3" => SslProtocols.Tls13,
        _ => SslProtocols.None,
    };
#pragma warning restore SYSLIB0039
}
