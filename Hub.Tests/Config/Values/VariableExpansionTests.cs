using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Values;

public sealed class VariableExpansionTests : IDisposable
{
    private readonly string variable = "HUB_CONFIG_TEST_" + Guid.NewGuid().ToString("N");
    private readonly List<string> files = [];

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(variable, null);
        files.ForEach(File.Delete);
    }

    private string FileBesideConfig(string content)
    {
        Directory.CreateDirectory(ConfigDirectory);
        var name = $"secret-{Guid.NewGuid():N}.txt";
        File.WriteAllText(Path.Combine(ConfigDirectory, name), content);
        files.Add(Path.Combine(ConfigDirectory, name));
        return name;
    }

    private static string Hostname(string value) => LoadValid($"[defaults]\nhostname = {value}\n").Defaults.Hostname;

    [Fact]
    public void An_environment_variable_is_substituted_in_both_forms()
    {
        Environment.SetEnvironmentVariable(variable, "broker");

        Assert.Equal("broker", Hostname($"$ENV:{variable}"));
        Assert.Equal("broker", Hostname($"${{ENV:{variable}}}"));
    }

    [Fact]
    public void Variables_are_substituted_inside_text_and_several_per_value()
    {
        Environment.SetEnvironmentVariable(variable, "host");

        Assert.Equal("https://host:8443/x/host", Hostname($"https://$ENV:{variable}:8443/x/${{ENV:{variable}}}"));
    }

    [Fact]
    public void Expansion_comes_before_literal_parsing()
    {
        Environment.SetEnvironmentVariable(variable, "3000");

        Assert.Equal(3000, LoadValid($"[defaults]\nport = $ENV:{variable}\n").Defaults.Port);
    }

    [Fact]
    public void Substituted_text_is_not_expanded_again()
    {
        Environment.SetEnvironmentVariable(variable, "$ENV:HOME");

        Assert.Equal("$ENV:HOME", Hostname($"$ENV:{variable}"));
    }

    [Fact]
    public void A_missing_environment_variable_is_an_error_at_its_line()
    {
        var result = Load($"[defaults]\nlaunch = log\nhostname = {{\n  $ENV:{variable}\n  }}\n");

        AssertError(result, 4, $"Environment variable '{variable}' is not set");
    }

    [Fact]
    public void An_unknown_type_and_a_lower_case_type_are_left_as_written()
    {
        Assert.Equal("$USD:price and $env:x", Hostname("$USD:price and $env:x"));
    }

    [Fact]
    public void A_file_is_read_relative_to_the_config_directory_with_one_trailing_line_break_removed()
    {
        var name = FileBesideConfig("s3cret\n\n");

        Assert.Equal("-->s3cret\n<--", LoadValid($"[defaults]\npassword = -->${{FILE:{name}}}<--\n").Defaults.Password);
        Assert.Equal("s3cret\n", LoadValid(WithLog($"[a]\ntargets = log\nnote = $FILE:{name}\n")).Sections[0].Extra["note"]);
    }

    [Fact]
    public void An_absolute_file_path_is_read_as_is()
    {
        var name = FileBesideConfig("abc\r\n");

        Assert.Equal("abc", LoadValid($"[defaults]\npassword = ${{FILE:{Path.Combine(ConfigDirectory, name)}}}\n").Defaults.Password);
    }

    [Fact]
    public void An_unreadable_file_is_an_error_at_its_line()
    {
        var result = Load("[defaults]\n\npassword = ${FILE:does-not-exist.txt}\n");

        AssertError(result, 3, "Cannot read file 'does-not-exist.txt'");
    }

    [Fact]
    public void Variables_are_expanded_in_topic_sections_too()
    {
        Environment.SetEnvironmentVariable(variable, "house/#");

        Assert.Equal("house/#", LoadValid(WithLog($"[s]\ntopic = $ENV:{variable}\ntargets = log\n")).Sections[0].Topic);
    }
}
