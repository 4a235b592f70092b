namespace Hub.Tests.Support;

/// <summary>A certificate signed by a <see cref="CertificateAuthority"/>, as PEM files.</summary>
public sealed record IssuedCertificate(string CertPath, string KeyPath);
