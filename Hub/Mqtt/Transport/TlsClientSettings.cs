using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hub.Mqtt.Transport;

/// <summary>Builds the SslStream client options: target host, pinned protocols, client certificate, verification.</summary>
internal static class TlsClientSettings
{
    public static SslClientAuthenticationOptions Create(MqttClientOptions options, TlsServerVerifier verifier)
    {
        var tls = options.Tls ?? throw new ArgumentException("TLS is not configured.", nameof(options));
        var settings = new SslClientAuthenticationOptions
        {
            TargetHost = options.Host,
            EnabledSslProtocols = tls.Protocols,
            RemoteCertificateValidationCallback = verifier.Validate,
        };
        if (tls.CertFile is not null)
        {
            settings.ClientCertificates = [LoadClientCertificate(tls.CertFile, tls.KeyFile)];
        }

        return settings;
    }

    private static X509Certificate2 LoadClientCertificate(string certFile, string? keyFile)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);

        // On Linux SslStream needs the key in a persisted (PKCS#12-backed) form, not an ephemeral PEM key.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
