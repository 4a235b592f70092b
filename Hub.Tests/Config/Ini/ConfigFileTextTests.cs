using System.Text;
using Hub.Config;
using static Hub.Tests.Support.ConfigTestLoader;

namespace Hub.Tests.Config.Ini;

public sealed class ConfigFileTextTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("hub-config-file-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private ConfigLoadResult LoadBytes(byte[] bytes)
    {
        var path = Path.Combine(directory, "hub.ini");
        File.WriteAllBytes(path, bytes);
        return ConfigLoader.Load(path);
    }

    private const string Ini = "[defaults]\nlaunch = log\n[config:log]\ntargets = {'info': ['info']}\n[a/b]\ntargets = log:info\n";

    [Fact]
    public void A_UTF8_file_loads()
    {
        Assert.True(LoadBytes(Encoding.UTF8.GetBytes(Ini)).Success);
    }

    [Fact]
    public void A_UTF8_byte_order_mark_is_skipped()
    {
        var result = LoadBytes([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Ini)]);

        Assert.True(result.Success);
        Assert.Equal("a/b", result.Config!.Sections[0].Name);
    }

    [Fact]
    public void A_UTF16_file_is_an_error()
    {
        var diagnostic = SingleError(LoadBytes(Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Ini)).ToArray()));

        Assert.Contains("UTF-16", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_UTF16_file_without_byte_order_mark_is_an_error()
    {
        Assert.Contains("NUL", SingleError(LoadBytes(Encoding.Unicode.GetBytes(Ini))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_is_an_error_at_its_line()
    {
        var bytes = Encoding.UTF8.GetBytes("[defaults]\nhostname = caf").Concat(new byte[] { 0xE9, (byte)'\n' }).ToArray();

        Assert.Equal(2, SingleError(LoadBytes(bytes)).Location.Line);
    }

    [Fact]
    public void A_missing_file_is_an_error_printed_without_a_line()
    {
        var path = Path.Combine(directory, "nope.ini");

        var diagnostic = SingleError(ConfigLoader.Load(path));

        Assert.Equal($"Configuration file \"{path}\" does not exist", diagnostic.Message);
        Assert.Equal($"{path}: Configuration file \"{path}\" does not exist", diagnostic.ToString());
    }

    [Fact]
    public void The_config_records_the_full_path_of_the_file()
    {
        var result = LoadBytes(Encoding.UTF8.GetBytes(Ini));

        Assert.Equal(Path.Combine(directory, "hub.ini"), result.Config!.FilePath);
    }
}
