using Hub.Tests.Support;

namespace Hub.Tests.Architecture;

/// <summary>The scanner behind <see cref="FolderLayeringTests"/> finds what it must, so a green layering test means something.</summary>
public sealed class FolderDependenciesTests
{
    private static FolderDependencies Scan(params (string Path, string Text)[] files) => FolderDependencies.Scan(files);

    private static readonly (string, string) ConfigFile = ("Config/HubConfig.cs", "namespace Hub.Config;\n\npublic sealed class HubConfig { }\n");

    private static readonly (string, string) MqttFile = ("Mqtt/Codec/MqttSpanReader.cs", "namespace Hub.Mqtt.Codec;\n\ninternal ref struct MqttSpanReader { }\n");

    [Theory]
    [InlineData("using Hub.Config;")]
    [InlineData("using static Hub.Config.HubConfig;")]
    [InlineData("using Settings = Hub.Config.HubConfig;")]
    [InlineData("global using Hub.Config;")]
    public void A_using_directive_is_a_reference(string directive)
    {
        var found = Scan(ConfigFile, ("Mqtt/MqttClient.cs", $"{directive}\n\nnamespace Hub.Mqtt;\n\ninternal sealed class MqttClient {{ }}\n"));
        var reference = Assert.Single(found.References);
        Assert.Equal(("Mqtt", "Config", "Mqtt/MqttClient.cs", 1), (reference.From, reference.To, reference.File, reference.Line));
    }

    [Theory]
    [InlineData("private Hub.Config.HubConfig? _config;")]
    [InlineData("private global::Hub.Config.HubConfig? _config;")]
    [InlineData("private Config.HubConfig? _config;")]
    [InlineData("private Mqtt.Codec.MqttSpanReader _reader;")]
    public void A_fully_or_partly_qualified_name_is_a_reference(string field)
    {
        var found = Scan(ConfigFile, MqttFile, ("Broker/BrokerServer.cs", $"namespace Hub.Broker;\n\ninternal sealed class BrokerServer\n{{\n    {field}\n}}\n"));
        var reference = Assert.Single(found.References);
        Assert.Equal(("Broker/BrokerServer.cs", 5), (reference.File, reference.Line));
    }

    [Theory]
    [InlineData("// uses Hub.Config.HubConfig")]
    [InlineData("/* Config.HubConfig */")]
    [InlineData("/// <summary>See <see cref=\"Hub.Config.HubConfig\"/>.</summary>")]
    [InlineData("private const string Name = \"Hub.Config.HubConfig\";")]
    [InlineData("private const string Name = @\"Config.HubConfig\"\"\";")]
    [InlineData("private const string Name = \"\"\"Hub.Config.HubConfig\"\"\";")]
    [InlineData("private object? Config { get; } = null; private int Count => Config.GetHashCode();")]
    [InlineData("private Hub.Plugins.IPlugin? _plugin;")]
    public void Comments_strings_members_and_namespaces_outside_Hub_folders_are_not_references(string line)
    {
        var found = Scan(ConfigFile, ("Broker/BrokerServer.cs", $"namespace Hub.Broker;\n\ninternal sealed class BrokerServer\n{{\n    {line}\n}}\n"));
        Assert.Empty(found.References);
    }

    [Fact]
    public void A_cycle_between_folders_is_found()
    {
        var found = Scan(
            ("Config/HubConfig.cs", "using Hub.Broker;\n\nnamespace Hub.Config;\n\npublic sealed class HubConfig { }\n"),
            ("Broker/BrokerServer.cs", "using Hub.Routing;\n\nnamespace Hub.Broker;\n\ninternal sealed class BrokerServer { }\n"),
            ("Routing/TopicFilter.cs", "using Hub.Config;\n\nnamespace Hub.Routing;\n\ninternal static class TopicFilter { }\n"),
            ("Mqtt/MqttClient.cs", "using Hub.Config;\n\nnamespace Hub.Mqtt;\n\ninternal sealed class MqttClient { }\n"));
        var cycle = Assert.Single(found.Cycles());
        Assert.Equal(new[] { "Broker", "Config", "Routing" }, cycle);
        Assert.Equal(
            new[] { "Hub/Broker/BrokerServer.cs:1: Broker -> Routing (using Hub.Routing;)", "Hub/Routing/TopicFilter.cs:1: Routing -> Config (using Hub.Config;)", "Hub/Config/HubConfig.cs:1: Config -> Broker (using Hub.Broker;)" },
            found.ShortestCycle(cycle).Select(r => r.ToString()));
    }

    [Fact]
    public void A_file_in_another_folders_namespace_is_misplaced()
    {
        var found = Scan(ConfigFile, ("Routing/TopicFilter.cs", "namespace Hub.Mqtt;\n\ninternal static class TopicFilter { }\n"));
        Assert.Equal("Hub/Routing/TopicFilter.cs:1: namespace Hub.Mqtt is not in Hub.Routing, the namespace of its folder", Assert.Single(found.Misplaced));
    }
}
