using System.Text;
using Hub.Broker.Security;
using Hub.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Cli;

public sealed class PasswdCommandTests
{
    private static async Task<(int ExitCode, string Out, string Error)> RunWithInputAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CliApp.RunAsync(args, new CliContext(output, error) { In = new StringReader(input) });
        return (code, output.ToString(), error.ToString());
    }

    private static bool Verifies(string file, string user, string password) =>
        PasswordFile.Load(file)[user].Verify(Encoding.UTF8.GetBytes(password));

    [Fact]
    public async Task Create_with_a_batch_password_writes_a_pbkdf2_line_with_owner_only_permissions()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");

        var (code, output, error) = await CliRunner.RunAsync("passwd", "-c", "-b", file, "alice", "s3cret");

        Assert.True(code == 0, error);
        Assert.Equal($"Added user alice to {file}", output.Trim());
        Assert.Contains("visible to other users in the process list", error, StringComparison.Ordinal);
        Assert.StartsWith($"alice:$7${PasswordHash.DefaultIterations}$", Assert.Single(File.ReadAllLines(file)), StringComparison.Ordinal);
        Assert.True(Verifies(file, "alice", "s3cret"));
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "mode 0600");
        Assert.Equal([file], Directory.GetFiles(temp.Path));
    }

    [Fact]
    public async Task The_batch_password_may_follow_the_user_as_well()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");

        var (code, _, error) = await CliRunner.RunAsync("passwd", "-c", file, "alice", "-b", "s3cret");

        Assert.True(code == 0, error);
        Assert.True(Verifies(file, "alice", "s3cret"));
    }

    [Fact]
    public async Task Without_a_terminal_the_password_is_one_line_of_standard_input()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");

        var (code, _, error) = await RunWithInputAsync("from stdin\r\nignored\n", "passwd", "-c", file, "alice");

        Assert.True(code == 0, error);
        Assert.True(Verifies(file, "alice", "from stdin"));
        Assert.DoesNotContain("process list", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Adding_and_changing_users_keeps_comments_and_the_other_users()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");
        await CliRunner.RunAsync("passwd", "-c", "-b", file, "alice", "a1");
        File.AppendAllText(file, "# keep me\n");
        var bobAdded = await CliRunner.RunAsync("passwd", "-b", file, "bob", "b1", "-I", "50");
        var aliceChanged = await CliRunner.RunAsync("passwd", "-b", file, "alice", "a2");

        Assert.Equal(0, bobAdded.ExitCode);
        Assert.Equal($"Changed the password of alice in {file}", aliceChanged.Out.Trim());
        var lines = File.ReadAllLines(file);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("alice:", lines[0], StringComparison.Ordinal);
        Assert.Equal("# keep me", lines[1]);
        Assert.StartsWith("bob:$7$50$", lines[2], StringComparison.Ordinal);
        Assert.True(Verifies(file, "alice", "a2"));
        Assert.True(Verifies(file, "bob", "b1"));
    }

    [Fact]
    public async Task Delete_removes_only_that_user()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");
        await CliRunner.RunAsync("passwd", "-c", "-b", file, "alice", "a1");
        await CliRunner.RunAsync("passwd", "-b", file, "bob", "b1");

        var (code, output, _) = await CliRunner.RunAsync("passwd", "-D", file, "alice");

        Assert.Equal(0, code);
        Assert.Equal($"Deleted user alice from {file}", output.Trim());
        Assert.Equal(["bob"], PasswordFile.Load(file).Keys);
    }

    [Fact]
    public async Task Create_overwrites_an_existing_file()
    {
        using var temp = new TempDirectory();
        var file = temp.Write("passwd", "old:$6$garbage\n");

        var (code, _, error) = await CliRunner.RunAsync("passwd", "-c", "-b", file, "alice", "a1");

        Assert.True(code == 0, error);
        Assert.Equal(["alice"], PasswordFile.Load(file).Keys);
    }

    [Fact]
    public async Task Update_hashes_the_plain_text_passwords_and_keeps_existing_hashes()
    {
        using var temp = new TempDirectory();
        var hashed = PasswordHash.Create("old", 10).Encode();
        var file = temp.Write("passwd", $"# plain\nalice:alice pw\nbob:{hashed}\ncarol:c:with:colons\n");

        var (code, output, error) = await CliRunner.RunAsync("passwd", "-U", file);

        Assert.True(code == 0, error);
        Assert.Equal($"Hashed 2 plain-text password(s) in {file}", output.Trim());
        Assert.True(Verifies(file, "alice", "alice pw"));
        Assert.True(Verifies(file, "carol", "c:with:colons"));
        Assert.Contains($"bob:{hashed}", File.ReadAllLines(file));
        Assert.Equal("# plain", File.ReadAllLines(file)[0]);
    }

    [Theory]
    [InlineData(new[] { "passwd", "FILE" }, "give the user name")]
    [InlineData(new[] { "passwd", "-b", "FILE", "alice" }, "-b needs the password")]
    [InlineData(new[] { "passwd", "FILE", "alice", "pw" }, "a password on the command line needs -b")]
    [InlineData(new[] { "passwd", "-D", "-c", "FILE", "alice" }, "-D takes only the file and the user")]
    [InlineData(new[] { "passwd", "-U", "FILE", "alice" }, "-U takes only the file")]
    [InlineData(new[] { "passwd", "-c", "-b", "FILE", "al:ice", "pw" }, "a user name must not contain ':'")]
    [InlineData(new[] { "passwd", "-c", "-b", "FILE", " alice", "pw" }, "must not start or end with white space")]
    [InlineData(new[] { "passwd", "-c", "-b", "FILE", "#alice", "pw" }, "nor start with '#'")]
    [InlineData(new[] { "passwd", "-c", "-b", "FILE", "alice", "" }, "the password is empty")]
    [InlineData(new[] { "passwd", "-c", "-b", "-I", "0", "FILE", "alice", "pw" }, "-I: the iteration count must be from 1 to")]
    [InlineData(new[] { "passwd", "FILE", "alice", "-b", "pw" }, "the password file does not exist (give -c to create it)")]
    [InlineData(new[] { "passwd", "-D", "FILE", "alice" }, "the password file does not exist")]
    public async Task A_wrong_command_line_is_explained_with_exit_code_2_and_writes_nothing(string[] args, string message)
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");

        var (code, _, error) = await CliRunner.RunAsync(args.Select(a => a == "FILE" ? file : a).ToArray());

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task No_password_on_standard_input_is_an_error()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");

        var (code, _, error) = await RunWithInputAsync("", "passwd", "-c", file, "alice");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains("no password on standard input", error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task A_malformed_existing_file_is_reported_with_its_line_and_left_as_it_was()
    {
        using var temp = new TempDirectory();
        var content = "alice:$7$101$c2FsdA==$AAAA\nbob:plaintext\n";
        var file = temp.Write("passwd", content);

        var (code, _, error) = await CliRunner.RunAsync("passwd", "-b", file, "carol", "pw");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains($"{file}:1: user 'alice': the salt must be 12 bytes", error, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(file));
    }

    [Fact]
    public async Task Deleting_a_user_who_is_not_there_is_an_error()
    {
        using var temp = new TempDirectory();
        var file = temp.File("passwd");
        await CliRunner.RunAsync("passwd", "-c", "-b", file, "alice", "a1");

        var (code, _, error) = await CliRunner.RunAsync("passwd", "-D", file, "bob");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains("there is no user bob", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_in_a_missing_directory_is_an_error_not_a_crash()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "no", "such", "passwd");

        var (code, _, error) = await CliRunner.RunAsync("passwd", "-c", "-b", file, "alice", "pw");

        Assert.Equal(ExitCodes.ConfigError, code);
        Assert.Contains("cannot write the password file", error, StringComparison.Ordinal);
    }
}
