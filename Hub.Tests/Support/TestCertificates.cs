namespace Hub.Tests.Support;

/// <summary>Makes CAs and certificates with the openssl command line (EC P-256, valid two days).</summary>
public static class TestCertificates
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<CertificateAuthority> CreateCaAsync(string directory, string name = "Hub Test CA")
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, Sanitize(name));
        await OpenSslAsync(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", stem + ".key", "-out", stem + ".crt", "-days", "2", "-subj", "/CN=" + name,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return new CertificateAuthority(stem + ".crt", stem + ".key");
    }

    /// <summary>Issues a server (and client) certificate for <paramref name="commonName"/> with the given subjectAltName entries ("DNS:x", "IP:1.2.3.4").</summary>
    public static async Task<IssuedCertificate> IssueAsync(CertificateAuthority ca, string directory, string commonName, params string[] subjectAltNames)
    {
        var stem = Path.Combine(directory, Sanitize(commonName) + "-" + Guid.NewGuid().ToString("N")[..6]);
        await OpenSslAsync(
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", stem + ".key", "-out", stem + ".csr", "-subj", "/CN=" + commonName);
        var extensions = "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n";
        if (subjectAltNames.Length > 0)
        {
            extensions += "subjectAltName=" + string.Join(',', subjectAltNames) + "\n";
        }

        await File.WriteAllTextAsync(stem + ".ext", extensions);
        await OpenSslAsync(
            "x509", "-req", "-in", stem + ".csr", "-CA", ca.CertPath, "-CAkey", ca.KeyPath, "-CAcreateserial",
            "-out", stem + ".crt", "-days", "2", "-extfile", stem + ".ext");
        return new IssuedCertificate(stem + ".crt", stem + ".key");
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync("openssl", arguments, Timeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed: {result}");
        }
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) ? c : '-'));
}
