using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Security;

namespace Hub.Plugins.Notify;

/// <summary>
/// How the connection is secured: the mode, and the server certificate check: the system's trust
/// store, the CAs of <c>ca_certs</c> only, or none at all with <c>tls_insecure</c>. MailKit does the
/// TLS; this class is its certificate validation callback.
/// </summary>
public sealed class SmtpTls(SmtpTlsMode mode, X509Certificate2Collection? trustedCas, bool insecure)
{
    public SmtpTlsMode Mode { get; } = mode;

    public static SmtpTls From(SmtpSinkOptions options, string configDirectory)
    {
        var mode = options.ImplicitTls ? SmtpTlsMode.Implicit : options.Starttls ? SmtpTlsMode.StartTls : SmtpTlsMode.None;
        X509Certificate2Collection? cas = null;
        if (!string.IsNullOrEmpty(options.CaCerts))
        {
            cas = [];
            cas.ImportFromPemFile(Path.IsPathRooted(options.CaCerts) ? options.CaCerts : Path.Combine(configDirectory, options.CaCerts));
        }

        return new SmtpTls(mode, cas, options.TlsInsecure);
    }

    /// <summary>MailKit's name for the mode.</summary>
    public SecureSocketOptions SocketOptions => Mode switch
    {
        SmtpTlsMode.Implicit => SecureSocketOptions.SslOnConnect,
        SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.None,
    };

    /// <summary>The server certificate check; <paramref name="problem"/> says why it failed, for the error message.</summary>
    public bool Verify(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, out string? problem)
    {
        problem = null;
        if (insecure)
        {
            return true;
        }

        if (trustedCas is null || certificate is null)
        {
            problem = errors == SslPolicyErrors.None ? null : $"the server certificate is not trusted ({errors}; set ca_certs to its CA, or tls_insecure = True for tests)";
            return errors == SslPolicyErrors.None;
        }

        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            problem = $"the server certificate does not match the host name ({errors})";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (custom.Build(leaf))
        {
            return true;
        }

        problem = "the server certificate is not signed by a CA of ca_certs: " + string.Join("; ", custom.ChainStatus.Select(s => s.StatusInformation.Trim()));
        return false;
    }
}
