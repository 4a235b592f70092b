using System.Text.RegularExpressions;

namespace Hub.Cli;

/// <summary>Masks secrets in command output: option keys that name a password, token, secret or key.</summary>
public static partial class Secrets
{
    public const string Mask = "********";

    public static bool IsSecretKey(string key) => SecretKey().IsMatch(key);

    public static string MaskIfSecret(string key, string value) => IsSecretKey(key) && value.Length > 0 ? Mask : value;

    [GeneratedRegex("pass|token|secret|key|auth|credential", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();
}
