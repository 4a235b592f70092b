using Hub.Config;
using Hub.Tests.Support;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Web;

/// <summary>The [web] section: off unless present, loopback by default, a token required off the machine.</summary>
public sealed class WebConfigTests
{
    [Fact]
    public void Without_a_web_section_there_is_no_web_endpoint()
    {
        Assert.Null(LoadValid(WithLog("")).Web);
    }

    [Fact]
    public void An_empty_web_section_listens_on_loopback_port_8080_without_a_token()
    {
        var web = LoadValid(WithLog("[web]\n")).Web!;
        Assert.Equal(("127.0.0.1", 8080), (web.Host, web.Port));
        Assert.Null(web.AuthToken);
        Assert.False(web.IsTls);
    }

    [Fact]
    public void Enabled_false_turns_the_endpoint_off()
    {
        Assert.Null(LoadValid(WithLog("[web]\nenabled = False\nlisten = 127.0.0.1:9000\n")).Web);
    }

    [Fact]
    public void A_web_section_is_not_a_topic_section()
    {
        var config = LoadValid(WithLog("[web]\nlisten = [::1]:9100\n"));
        Assert.DoesNotContain(config.Sections, s => s.Name == "web");
        Assert.Equal(("::1", 9100), (config.Web!.Host, config.Web.Port));
    }

    [Fact]
    public void A_non_loopback_address_without_a_token_is_an_error_at_the_listen_line()
    {
        AssertError(Load(WithLog("[web]\n\nlisten = 0.0.0.0:8080\n")), 9, "'listen = 0.0.0.0:8080' is reachable from other machines: set 'auth_token'");
    }

    [Fact]
    public void The_token_may_come_from_the_environment_or_a_file_and_is_never_in_a_message()
    {
        var variable = "HUB_WEB_TOKEN_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(variable, "from-the-environment");
        try
        {
            Assert.Equal("from-the-environment", LoadValid(WithLog($"[web]\nlisten = 0.0.0.0:8080\nauth_token = $ENV:{variable}\n")).Web!.AuthToken);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        using var temp = new TempDirectory();
        var tokenFile = temp.Write("token", "from-a-file\n");
        var result = ConfigLoader.LoadText(WithLog($"[web]\nlisten = 192.0.2.1:8080\nauth_token = ${{FILE:{tokenFile}}}\nbogus = 1\n"), temp.File("hub.ini"));
        Assert.True(result.Success, string.Join('\n', result.Errors));
        Assert.Equal("from-a-file", result.Config!.Web!.AuthToken);
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("from-a-file", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("listen = somewhere", "'listen' must be one HOST:PORT")]
    [InlineData("listen = 127.0.0.1:8080, 127.0.0.1:8081", "'listen' must be one HOST:PORT")]
    [InlineData("certfile = /no/such/cert.pem", "'certfile' file not found")]
    [InlineData("enabled = sometimes", "'enabled' must be a boolean")]
    public void A_bad_value_is_an_error_at_its_line(string line, string message)
    {
        AssertError(Load(WithLog($"[web]\n{line}\n")), 8, message);
    }

    [Fact]
    public async Task Hub_check_and_hub_run_both_refuse_a_non_loopback_address_without_a_token_with_file_and_line()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", WithLog("[web]\nlisten = 0.0.0.0:8080\n"));
        var expected = $"{path}:8: [web] 'listen = 0.0.0.0:8080' is reachable from other machines";

        var (checkCode, checkOutput) = await HubProcess.RunAsync(temp.Path, "check", "--config", path);
        var (runCode, runOutput) = await HubProcess.RunAsync(temp.Path, "run", "--config", path);

        Assert.True(checkCode == 2, checkOutput);
        Assert.Contains(expected, checkOutput);
        Assert.True(runCode == 2, runOutput);
        Assert.Contains(expected, runOutput);
    }
}
