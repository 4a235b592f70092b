using System.Globalization;
using Hub.Plugins;
using Hub.Tests.Support;

namespace Hub.Tests.Plugins.Rrdtool;

/// <summary>The rrdtool plugin with Debian's rrdtool: updates read back with rrdtool fetch and lastupdate.</summary>
public sealed class RrdtoolSinkTests : IDisposable
{
    private const long Start = 1_700_000_000;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_batch_of_timed_updates_is_one_rrdtool_update_read_back_with_fetch()
    {
        var file = await CreateAsync("climate.rrd");
        await Sink().SendBatchAsync(
        [
            StorageItems.Item($"{Start + 1}:21.5:40", Some.List(file), StorageItems.Recent()),
            StorageItems.Item($"{Start + 2}:22:41", Some.List(file), StorageItems.Recent()),
            StorageItems.Item($"{Start + 3}:50", Some.List(file, "--template", "hum"), StorageItems.Recent()),
        ], CancellationToken.None);

        var rows = await FetchAsync(file, Start + 3);
        Assert.Equal((21.5, 40.0), rows[Start + 1]);
        Assert.Equal((22.0, 41.0), rows[Start + 2]);
        Assert.True(double.IsNaN(rows[Start + 3].Temp));
        Assert.Equal(50.0, rows[Start + 3].Hum);
    }

    [Fact]
    public async Task A_whole_number_is_an_update_for_now_as_in_mqttwarn()
    {
        var file = await CreateAsync("counter.rrd", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 100);
        await Sink().SendAsync(StorageItems.Item("42", Some.List(file, "--template", "temp"), StorageItems.Recent()), CancellationToken.None);

        var last = await RunAsync("lastupdate", file);
        var line = last.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("42", line[1]);
        Assert.InRange(long.Parse(line[0].TrimEnd(':'), CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task An_update_rrdtool_refuses_is_a_permanent_failure_with_its_reason()
    {
        var file = await CreateAsync("old.rrd");
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            Sink().SendAsync(StorageItems.Item($"{Start - 50}:1:1", Some.List(file), StorageItems.Recent()), CancellationToken.None).AsTask());

        DeliveryFailures.AssertPermanent(error);
        Assert.Contains("illegal attempt to update", error.Message);
    }

    [Fact]
    public void Targets_are_checked_when_the_configuration_loads()
    {
        Assert.Empty(BuiltInPlugins.Validate("rrdtool", Some.List("/var/lib/x.rrd")));
        Assert.Empty(BuiltInPlugins.Validate("rrdtool", Some.List("x.rrd", "--template", "a:b")));
        Assert.Contains("the target must be ['file.rrd'", Assert.Single(BuiltInPlugins.Validate("rrdtool", Some.List())));
        Assert.NotEmpty(BuiltInPlugins.Validate("rrdtool", Some.List("x.rrd", 5L)));
        Assert.NotEmpty(BuiltInPlugins.Validate("rrdtool", Some.Dict(("file", "x.rrd"))));
    }

    private static IBatchSink Sink() => (IBatchSink)BuiltInPlugins.Create("rrdtool", new TestPluginContext());

    private async Task<string> CreateAsync(string name, long start = Start)
    {
        var file = _temp.File(name);
        await RunAsync("create", file, "--start", start.ToString(CultureInfo.InvariantCulture), "--step", "1",
            "DS:temp:GAUGE:600:U:U", "DS:hum:GAUGE:600:U:U", "RRA:LAST:0:1:1000");
        return file;
    }

    private static async Task<IReadOnlyDictionary<long, (double Temp, double Hum)>> FetchAsync(string file, long end)
    {
        var output = await RunAsync("fetch", file, "LAST", "-r", "1", "--start", Start.ToString(CultureInfo.InvariantCulture), "--end", end.ToString(CultureInfo.InvariantCulture));
        return output.Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal)).Select(l => l.Split([':', ' '], StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(p => long.Parse(p[0], CultureInfo.InvariantCulture), p => (Number(p[1]), Number(p[2])));
    }

    private static double Number(string text) => text.EndsWith("nan", StringComparison.Ordinal) ? double.NaN : double.Parse(text, CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync(ChildServer.Find("rrdtool", "rrdtool"), args, TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, $"rrdtool {string.Join(' ', args)}: {result}");
        return result.StandardOutput;
    }
}
