using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hub.Mqtt.Transport;

/// <summary>
/// Verifies the broker certificate: the chain against the CA bundle (custom root trust) or the
/// system store, and the host name unless <see cref="MqttTlsOptions.Insecure"/>. Remembers why it
/// refused, so the connect error can say it in words.
/// </summary>
internal sealed class TlsServerVerifier(MqttTlsOptions tls)
{
    public string? Failure { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            Failure = "the broker sent no certificate";
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && !tls.Insecure)
        {
            Failure = "the broker certificate does not match the host name";
            return false;
        }

        if (tls.CaCertsPath is null)
        {
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0)
            {
                return true;
            }

            Failure = $"the broker certificate is not trusted by the system store ({Describe(chain)})";
            return false;
        }

        return VerifyAgainstBundle(certificate, chain);
    }

    private bool VerifyAgainstBundle(X509Certificate certificate, X509Chain? presented)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(tls.CaCertsPath!);
        custom.ChainPolicy.CustomTrustStore.AddRange(bundle);
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        if (custom.Build(leaf))
        {
            return true;
        }

        Failure = $"the broker certificate is not signed by a CA in {tls.CaCertsPath} ({Describe(custom)})";
        return false;
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct());
}
