using Hub.Config;
using Hub.Tests.Support;

namespace Hub.Tests.Config;

public sealed class MqttwarnSampleTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hub-config-sample-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private HubConfig LoadSample()
    {
        var path = Path.Combine(directory, "mqttwarn.ini");
        File.WriteAllText(path, ConfigSamples.MqttwarnIni);
        var result = ConfigLoader.Load(path);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        return result.Config!;
    }

    [Fact]
    public void An_mqttwarn_configuration_loads_unchanged_without_diagnostics()
    {
        var config = LoadSample();

        Assert.Equal(("localhost", 1883, "mqttwarn", "clients/mqttwarn", 3, "DEBUG"), (config.Defaults.Hostname, config.Defaults.Port, config.Defaults.ClientId, config.Defaults.Lwt, config.Defaults.Protocol, config.Defaults.LogLevel));
        Assert.Null(config.Defaults.Username);
        Assert.Equal((true, "mqttwarn/$SYS"), (config.Defaults.StatusPublish, config.Defaults.StatusTopic));
        Assert.Equal(["file", "log", "smtp", "pushover", "ntfy", "http", "mqttpub", "alarmlog"], config.Services.Select(s => s.Name));
        Assert.Equal(["hello/1", "test/+", "owntracks/+/+", "monitoring/+", "ntfy-test", "#", "http/#"], config.Sections.Select(s => s.Name));
    }

    [Fact]
    public void Service_targets_and_options_of_the_sample_are_typed()
    {
        var config = LoadSample();

        Assert.Equal(["debug", "info", "warn", "crit", "error"], config.FindService("log")!.Targets.Select(t => t.Name));
        Assert.Equal("log", config.FindService("alarmlog")!.Module);
        Assert.Equal(["str:'get'", "str:'http://example.org?'", "{q: str:'{name}', isod: str:'{_dtiso}', xx: str:'yy'}", "[str:'username', str:'password']"],
            ((List<object?>)config.FindService("http")!.FindTarget("get1")!.Descriptor!).Select(ConfigTestLoader.Describe));
        Assert.Equal("[str:'userkey1', str:'appkey2', null, null]", ConfigTestLoader.Describe(config.FindService("pushover")!.FindTarget("tracking")!.Descriptor));
        Assert.Equal("{file_retry_tries: int:10, file_retry_interval: float:0.075}",
            ConfigTestLoader.Describe(((OrderedDictionary<string, object?>)config.FindService("ntfy")!.FindTarget("attach")!.Descriptor!)["__settings__"]));
        Assert.Equal(("MQTTwarn <jpm@localhost>", false), ((string)config.FindService("smtp")!.Options["sender"]!, (bool)config.FindService("smtp")!.Options["htmlmsg"]!));
    }

    [Fact]
    public void Topic_sections_of_the_sample_keep_their_formats_titles_and_dispatcher()
    {
        var config = LoadSample();

        var monitoring = config.Sections.Single(s => s.Name == "monitoring/+");
        Assert.Equal(("{topic}: Alarm!", "{_dtiso}: {payload}", 1, 300), (monitoring.Title, monitoring.Format, monitoring.Qos, monitoring.Timeout));
        Assert.Equal("u'{name}: {number} => {_dthhmm}'", config.Sections[0].Format);
        Assert.Equal("ntfy/#", config.Sections.Single(s => s.Name == "ntfy-test").Topic);
        var dispatch = Assert.IsType<TargetDispatch>(config.Sections.Single(s => s.Name == "#").Targets);
        Assert.Equal(5, dispatch.Entries.Count);
        Assert.Equal(["log:debug", "alarmlog:alarm"], dispatch.Entries[4].Value);
        Assert.Equal(["log:error", "file:mqttwarn"], Assert.IsType<TargetList>(config.Failover!.Targets).References);
    }
}
