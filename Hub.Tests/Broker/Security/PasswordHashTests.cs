using System.Text;
using Hub.Broker.Security;
using Hub.Tests.Support;

namespace Hub.Tests.Broker.Security;

public sealed class PasswordHashTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_new_hash_verifies_its_password_and_no_other()
    {
        var hash = PasswordHash.Create("s3cret", iterations: 1000);

        Assert.True(hash.Verify(Utf8("s3cret")));
        Assert.False(hash.Verify(Utf8("s3cret ")));
        Assert.False(hash.Verify(Utf8("")));
    }

    [Fact]
    public void A_new_hash_is_written_in_mosquittos_pbkdf2_notation_with_the_default_iterations()
    {
        var encoded = PasswordHash.Create("pw").Encode();

        var parts = encoded.Split('$');
        Assert.Equal(["", "7", PasswordHash.DefaultIterations.ToString(System.Globalization.CultureInfo.InvariantCulture)], parts[..3]);
        Assert.Equal(PasswordHash.SaltLength, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(PasswordHash.HashLength, Convert.FromBase64String(parts[4]).Length);
    }

    [Fact]
    public void Two_hashes_of_the_same_password_have_different_salts()
    {
        Assert.NotEqual(PasswordHash.Create("pw", 1).Encode(), PasswordHash.Create("pw", 1).Encode());
    }

    [Fact]
    public void An_encoded_hash_parses_back_and_still_verifies()
    {
        var encoded = PasswordHash.Create("pw", 1234).Encode();

        Assert.True(PasswordHash.TryParse(encoded, out var parsed, out var error), error);
        Assert.Equal(1234, parsed!.Iterations);
        Assert.True(parsed.Verify(Utf8("pw")));
        Assert.Equal(encoded, parsed.Encode());
    }

    [Fact]
    public void ToString_names_the_kind_but_not_the_salt_or_hash()
    {
        var hash = PasswordHash.Create("pw", 5);
        var encoded = hash.Encode();

        Assert.Equal("$7$ PBKDF2-SHA512 (5 iterations)", hash.ToString());
        Assert.DoesNotContain(encoded.Split('$')[4], hash.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("secret", "plain-text passwords are not accepted")]
    [InlineData("$5$abc$def", "is not a $7$ (PBKDF2-SHA512) or $6$ (SHA-512) hash")]
    [InlineData("$7$101$c2FsdHNhbHRzYWx0", "a $7$ hash has the form $7$ITERATIONS$SALT$HASH")]
    [InlineData("$6$a$b$c", "a $6$ hash has the form $6$SALT$HASH")]
    [InlineData("$7$0$c2FsdHNhbHRzYWx0$x", "the iteration count must be a whole number")]
    [InlineData("$7$-5$c2FsdHNhbHRzYWx0$x", "the iteration count must be a whole number")]
    [InlineData("$7$ten$c2FsdHNhbHRzYWx0$x", "the iteration count must be a whole number")]
    [InlineData("$7$10000001$c2FsdHNhbHRzYWx0$x", "the iteration count must be a whole number from 1 to 10000000")]
    [InlineData("$7$101$c2FsdA==$AAAA", "the salt must be 12 bytes in base64")]
    [InlineData("$7$101$not base64!$AAAA", "the salt must be 12 bytes in base64")]
    [InlineData("$7$101$c2FsdHNhbHRzYWx0$AAAA", "the hash must be 64 bytes in base64")]
    public void A_malformed_hash_is_refused_with_the_reason(string text, string reason)
    {
        Assert.False(PasswordHash.TryParse(text, out var hash, out var error));
        Assert.Null(hash);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha512-pbkdf2")]
    [InlineData("sha512")]
    public async Task A_hash_written_by_mosquitto_passwd_verifies_the_same_password(string algorithm)
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");
        var result = await ProcessRunner.RunAsync("mosquitto_passwd", ["-H", algorithm, "-c", "-b", file, "alice", "pä ss:wørd"], TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());

        var line = Assert.Single(File.ReadAllLines(file));
        Assert.StartsWith(algorithm == "sha512" ? "alice:$6$" : "alice:$7$101$", line, StringComparison.Ordinal);
        Assert.True(PasswordHash.TryParse(line["alice:".Length..], out var hash, out var error), error);
        Assert.True(hash!.Verify(Utf8("pä ss:wørd")));
        Assert.False(hash.Verify(Utf8("pä ss:wørD")));
    }
}
