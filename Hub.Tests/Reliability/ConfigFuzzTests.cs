using System.Text;
using Hub.Cli;
using Hub.Config;
using Hub.Tests.Support;
using Xunit.Abstractions;

namespace Hub.Tests.Reliability;

/// <summary>
/// Seeded structural mutations of the shipped hub.ini, every plugin's sample.ini and mqttwarn's sample
/// (deleted, duplicated and swapped lines, byte flips that may leave invalid UTF-8, truncation, random
/// keys, huge values, unbalanced quotes and brackets in Python literals, broken section headers and
/// variable references), fed to the loader and to <c>hub check</c> in-process: every case ends, each
/// under a timeout, as a success or as diagnostics printed <c>FILE:LINE: message</c>; never an
/// unhandled exception. (Hub.Tests/Config/ConfigFuzzTests mutates characters of one sample.)
/// </summary>
public sealed class ConfigFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static IReadOnlyList<(string Name, string Text)> Bases() =>
    [
        ("hub.ini", File.ReadAllText(Path.Combine(Repo.Root, "hub.ini"))),
        ("mqttwarn.ini", ConfigSamples.MqttwarnIni),
        .. Directory.EnumerateFiles(Path.Combine(Repo.Root, "Plugins"), "sample.ini", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetFileName(Path.GetDirectoryName(p))! + "/sample.ini", File.ReadAllText(p))),
    ];

    [Fact]
    public async Task Mutated_configurations_load_to_a_config_or_to_file_line_diagnostics_never_an_exception_or_a_hang()
    {
        var random = new Random(6_2026);
        var bases = Bases();
        var path = _temp.File("fuzz.ini");
        var failures = 0;
        for (var i = 0; i < 1000; i++)
        {
            var (name, text) = bases[random.Next(bases.Count)];
            var bytes = ConfigMutations.Mutate(text, random, 1 + random.Next(4));
            await File.WriteAllBytesAsync(path, bytes);
            ConfigLoadResult result;
            try
            {
                result = await Task.Run(() => ConfigLoader.Load(path)).WaitAsync(CaseTimeout);
            }
            catch (TimeoutException)
            {
                var lines = Encoding.UTF8.GetString(bytes).Split('\n').Select(l => l.Length > 120 ? $"{l[..120]}… ({l.Length} characters)" : l);
                Assert.Fail($"case {i} ({name}) did not load within {CaseTimeout}:\n{string.Join('\n', lines)}");
                throw;
            }

            var problems = result.Diagnostics.Where(d => !d.ToString().StartsWith(path, StringComparison.Ordinal) || d.Message.StartsWith("Internal error", StringComparison.Ordinal)).ToList();
            if (problems.Count > 0 || result.Success == result.Errors.Any())
            {
                failures++;
                output.WriteLine($"case {i} ({name}): {string.Join('\n', problems)}\n--- input ---\n{Encoding.UTF8.GetString(bytes)}\n");
            }
        }

        Assert.Equal(0, failures);
    }

    [Fact]
    public async Task Hub_check_on_mutated_configurations_exits_0_or_2_and_prints_only_file_line_diagnostics()
    {
        var random = new Random(6_2027);
        var bases = Bases();
        var failures = 0;
        for (var i = 0; i < 120; i++)
        {
            var (name, text) = bases[random.Next(bases.Count)];
            var bytes = ConfigMutations.Mutate(text, random, 1 + random.Next(3));
            var path = _temp.File($"check-{i}.ini");
            await File.WriteAllBytesAsync(path, bytes);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = await CliApp.RunAsync(["check", "--config", path, "--plugins", Repo.PluginDirectory], new CliContext(stdout, stderr)).WaitAsync(CaseTimeout);
            var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var stray = lines.Where(l => !l.StartsWith(path, StringComparison.Ordinal) && !l.StartsWith("warning: ", StringComparison.Ordinal)).ToList();
            var errors = lines.Count(l => l.StartsWith(path, StringComparison.Ordinal) && !l.Contains(": warning: ", StringComparison.Ordinal));
            if (code is not (ExitCodes.Ok or ExitCodes.ConfigError) || stray.Count > 0 || (code == ExitCodes.ConfigError) != (errors > 0))
            {
                failures++;
                output.WriteLine($"case {i} ({name}): exit {code}\n{stderr}\n--- input ---\n{Encoding.UTF8.GetString(bytes)}\n");
            }
        }

        Assert.Equal(0, failures);
    }
}
