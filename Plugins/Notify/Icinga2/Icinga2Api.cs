using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Hub.Plugins.Notify;

/// <summary>Where the Icinga 2 API is and how its certificate is trusted.</summary>
public static class Icinga2Api
{
    /// <summary><c>scheme://host:port/</c>: mqttwarn's <c>host</c> carries the scheme (<c>'https://icingahost'</c>); a bare name means https.</summary>
    public static Uri? BaseUri(string host, int port)
    {
        if (string.IsNullOrWhiteSpace(host) || port is < 1 or > 65535)
        {
            return null;
        }

        var text = host.Contains("://", StringComparison.Ordinal) ? host : "https://" + host;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0
            ? new UriBuilder(uri.Scheme, uri.Host, port).Uri
            : null;
    }

    /// <summary>
    /// A handler that trusts only <paramref name="caPath"/> as root (the system store is not
    /// consulted), or any certificate when <paramref name="insecure"/>.
    /// </summary>
    public static SocketsHttpHandler Handler(string? caPath, bool insecure)
    {
        X509Certificate2Collection? roots = null;
        if (caPath is not null)
        {
            roots = [];
            roots.ImportFromPemFile(caPath);
        }

        return new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (insecure || errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    if (roots is null || certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
                },
            },
        };
    }
}
