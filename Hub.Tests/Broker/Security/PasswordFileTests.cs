using System.Text;
using Hub.Broker.Security;
using Hub.Tests.Support;

namespace Hub.Tests.Broker.Security;

public sealed class PasswordFileTests
{
    private static readonly string AliceHash = PasswordHash.Create("alice-pw", 10).Encode();
    private static readonly string BobHash = PasswordHash.Create("bob-pw", 10).Encode();

    [Fact]
    public void Users_are_read_with_comments_blank_lines_and_surrounding_blanks_ignored()
    {
        var users = PasswordFile.Parse("pw", ["# users", "", $"alice:{AliceHash}", $"  bob : {BobHash}  \r"]);

        Assert.Equal(["alice", "bob"], users.Keys.Order());
        Assert.True(users["bob"].Verify(Encoding.UTF8.GetBytes("bob-pw")));
    }

    [Theory]
    [InlineData("alice", "pw:2: expected USER:PASSWORD_HASH")]
    [InlineData(":$7$1$x$y", "pw:2: the user name is empty")]
    [InlineData("carol:plain", "pw:2: user 'carol': the password is not a $7$ (PBKDF2-SHA512) or $6$ (SHA-512) hash; plain-text passwords are not accepted")]
    [InlineData("carol:", "pw:2: user 'carol': the password is not a $7$")]
    [InlineData("carol:$7$101$c2FsdA==$AAAA", "pw:2: user 'carol': the salt must be 12 bytes in base64")]
    public void A_malformed_line_is_reported_with_file_and_line(string line, string message)
    {
        var ex = Assert.Throws<BrokerSecurityException>(() => PasswordFile.Parse("pw", [$"alice:{AliceHash}", line]));

        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.Equal(("pw", 2), (ex.File, ex.Line));
        Assert.Equal(ex.Message, $"pw:2: {ex.Detail}");
    }

    [Fact]
    public void A_plain_text_password_is_not_quoted_in_the_error()
    {
        var ex = Assert.Throws<BrokerSecurityException>(() => PasswordFile.Parse("pw", ["carol:hunter2"]));

        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_defined_twice_is_an_error_naming_both_lines()
    {
        var ex = Assert.Throws<BrokerSecurityException>(() => PasswordFile.Parse("pw", [$"alice:{AliceHash}", "# again", $"alice:{BobHash}"]));

        Assert.Equal("pw:3: user 'alice' is already defined on line 1", ex.Message);
    }

    [Fact]
    public void A_missing_file_is_an_error_about_the_whole_file()
    {
        using var temp = new TempDirectory();
        var path = temp.File("missing");

        var ex = Assert.Throws<BrokerSecurityException>(() => PasswordFile.Load(path));

        Assert.StartsWith($"{path}: cannot read the password file: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, ex.Line);
    }
}
