using System.Globalization;
using System.Security.Cryptography;

namespace Hub.Broker.Security;

/// <summary>
/// One salted password hash in mosquitto's password-file notation, so files work with both brokers:
/// <c>$7$ITERATIONS$SALT$HASH</c> (PBKDF2-HMAC-SHA512, mosquitto 2.x) or <c>$6$SALT$HASH</c> (SHA-512 of password then salt,
/// mosquitto 1.x; read only). Salt and hash are base64, 12 and 64 bytes, as mosquitto requires.
/// </summary>
internal sealed class PasswordHash
{
    public const int SaltLength = 12;
    public const int HashLength = 64;

    /// <summary>
    /// Iterations for hashes the hub writes. mosquitto_passwd 2.0 writes 101; mosquitto reads the count from the file, so a
    /// higher one works with both brokers. 10,000 costs a few milliseconds per CONNECT (measured in docs/broker-security.md),
    /// a hundred times the work of an offline guess against mosquitto's default, without making connection storms expensive.
    /// </summary>
    public const int DefaultIterations = 10_000;

    /// <summary>Counts above this are refused when reading: a typo (or a hostile file) must not make every CONNECT take minutes.</summary>
    public const int MaxIterations = 10_000_000;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    private PasswordHash(bool pbkdf2, int iterations, byte[] salt, byte[] hash)
    {
        IsPbkdf2 = pbkdf2;
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    /// <summary>True for <c>$7$</c> (PBKDF2-SHA512), false for <c>$6$</c> (one SHA-512 round).</summary>
    public bool IsPbkdf2 { get; }

    /// <summary>PBKDF2 iterations (1 for <c>$6$</c>).</summary>
    public int Iterations { get; }

    /// <summary>A new <c>$7$</c> hash of <paramref name="password"/> (UTF-8) with a random salt.</summary>
    public static PasswordHash Create(string password, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var bytes = System.Text.Encoding.UTF8.GetBytes(password);
        try
        {
            return new PasswordHash(true, iterations, salt, Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA512, HashLength));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Parses the part after <c>user:</c>; on failure <paramref name="error"/> says why (never quoting the value).</summary>
    public static bool TryParse(string text, out PasswordHash? hash, out string? error)
    {
        hash = null;
        var parts = text.Split('$');
        // "$7$101$salt$hash" splits into "", "7", "101", "salt", "hash"; "$6$salt$hash" into "", "6", "salt", "hash".
        if (parts.Length < 2 || parts[0].Length != 0 || parts[1] is not ("6" or "7"))
        {
            error = "the password is not a $7$ (PBKDF2-SHA512) or $6$ (SHA-512) hash; plain-text passwords are not accepted (convert the file with 'hub passwd -U FILE')";
            return false;
        }

        var pbkdf2 = parts[1] == "7";
        if (parts.Length != (pbkdf2 ? 5 : 4))
        {
            error = pbkdf2 ? "a $7$ hash has the form $7$ITERATIONS$SALT$HASH" : "a $6$ hash has the form $6$SALT$HASH";
            return false;
        }

        var iterations = 1;
        if (pbkdf2 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1 || iterations > MaxIterations))
        {
            error = $"the iteration count must be a whole number from 1 to {MaxIterations}";
            return false;
        }

        var salt = Decode(parts[^2], SaltLength);
        var digest = Decode(parts[^1], HashLength);
        if (salt is null || digest is null)
        {
            error = salt is null
                ? $"the salt must be {SaltLength} bytes in base64"
                : $"the hash must be {HashLength} bytes in base64";
            return false;
        }

        hash = new PasswordHash(pbkdf2, iterations, salt, digest);
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="password"/> (the CONNECT packet's bytes) hashes to this hash; constant time in the comparison.</summary>
    public bool Verify(ReadOnlySpan<byte> password)
    {
        Span<byte> computed = stackalloc byte[HashLength];
        if (IsPbkdf2)
        {
            Rfc2898DeriveBytes.Pbkdf2(password, _salt, computed, Iterations, HashAlgorithmName.SHA512);
        }
        else
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
            sha.AppendData(password);
            sha.AppendData(_salt);
            sha.GetHashAndReset(computed);
        }

        var equal = CryptographicOperations.FixedTimeEquals(computed, _hash);
        CryptographicOperations.ZeroMemory(computed);
        return equal;
    }

    /// <summary>The password-file notation (<c>$7$ITERATIONS$SALT$HASH</c>); not for logs.</summary>
    public string Encode() => IsPbkdf2
        ? string.Create(CultureInfo.InvariantCulture, $"$7${Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}")
        : $"$6${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}";

    /// <summary>The kind only: salt and hash stay out of logs.</summary>
    public override string ToString() => IsPbkdf2 ? $"$7$ PBKDF2-SHA512 ({Iterations} iterations)" : "$6$ SHA-512";

    private static byte[]? Decode(string base64, int length)
    {
        var buffer = new byte[length + 3];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written == length ? buffer[..length] : null;
    }
}
