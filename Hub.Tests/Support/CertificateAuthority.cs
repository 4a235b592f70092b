namespace Hub.Tests.Support;

/// <summary>A throw-away CA made by <see cref="TestCertificates.CreateCaAsync"/>: its certificate (the PEM to trust) and key.</summary>
public sealed record CertificateAuthority(string CertPath, string KeyPath);
