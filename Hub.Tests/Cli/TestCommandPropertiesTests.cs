using Hub.Tests.Support;

namespace Hub.Tests.Cli;

/// <summary><c>hub test --property NAME=VALUE --user-property NAME=VALUE</c>: MQTT 5.0 properties as transformation data in the dry run.</summary>
public sealed class TestCommandPropertiesTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _config;

    public TestCommandPropertiesTests() => _config = _temp.Write("hub.ini", $$"""
        [defaults]
        plugins = '{{Repo.PluginDirectory}}'
        protocol = 5
        launch = log

        [config:log]
        targets = { 'info': ['info'] }

        [req/#]
        targets = log:info
        format = {payload} for {_response_topic} ({_correlation_data}, {_user_properties[site]})
        """);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_properties_appear_in_the_data_and_the_formatted_message()
    {
        var (code, output, _) = await CliRunner.RunAsync("test", "--config", _config, "req/1", "ping",
            "--property", "response-topic=replies/1", "--property", "correlation-data=abc", "--property", "content-type=text/plain",
            "--user-property", "site=north");
        Assert.Equal(0, code);
        Assert.Contains("_content_type = 'text/plain'", output, StringComparison.Ordinal);
        Assert.Contains("message:  'ping for replies/1 (abc, north)'", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colour=red", "--property colour is unknown")]
    [InlineData("message-expiry-interval=soon", "bad value 'soon'")]
    [InlineData("novalue", "--property must be NAME=VALUE")]
    public async Task A_bad_property_is_an_error(string property, string message)
    {
        var (code, _, error) = await CliRunner.RunAsync("test", "--config", _config, "req/1", "ping", "--property", property);
        Assert.Equal(1, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
