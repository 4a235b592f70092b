using Hub.Tests.Cli;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins;

/// <summary><c>hub check</c> reports a storage target of the wrong shape at its line, for every storage sink at once.</summary>
public sealed class StorageTargetCheckTests
{
    [Fact]
    public async Task Hub_check_reports_each_wrong_storage_target_at_its_file_and_line_with_exit_code_2()
    {
        using var temp = new TempDirectory();
        var path = temp.Write("hub.ini", $$"""
            [defaults]
            plugins = '{{Repo.PluginDirectory}}'
            launch = influxdb, carbon, redis, redispub, rrdtool, elasticsearch

            [config:influxdb]
            database = 'home'
            targets = {
                'good': ['temperature'],
                'bad' : ['temperature', 'home', '', 'seconds'],
              }

            [config:carbon]
            targets = {
                'bad' : ['localhost'],
              }

            [config:redis]
            targets = {
                'bad' : {'command': 'incr', 'key': 'k'},
              }

            [config:redispub]
            targets = {
                'bad' : ['a', 'b'],
              }

            [config:rrdtool]
            targets = {
                'bad' : [],
              }

            [config:elasticsearch]
            targets = {
                'bad' : ['hub-%Q'],
              }

            [home/#]
            targets = influxdb:good
            """);

        var (code, _, error) = await CliRunner.RunAsync("check", "--config", path);

        Assert.Equal(2, code);
        Assert.DoesNotContain("   at ", error);
        string[] expected =
        [
            $"{path}:9: [config:influxdb] target 'bad': precision must be one of",
            $"{path}:14: [config:carbon] target 'bad': the target must be ['host', port]",
            $"{path}:19: [config:redis] target 'bad': 'command' must be one of",
            $"{path}:24: [config:redispub] target 'bad': the target must be ['channel']",
            $"{path}:29: [config:rrdtool] target 'bad': the target must be ['file.rrd'",
            $"{path}:34: [config:elasticsearch] target 'bad': unknown date code '%Q'",
        ];
        Assert.All(expected, line => Assert.Contains(line, error));
    }
}
