using System.Diagnostics;
using System.Text;
using Hub.Config;
using Hub.Tests.Support;

namespace Hub.Tests.Config;

public sealed class ConfigFuzzTests
{
    private const string Interesting = "[]{}()'\":;=,#\n\r\t $\\_.-+0123456789xobejJrRuUbBfF\uFEFF\u00e9\0";

    [Fact]
    public void Randomly_mutated_configurations_give_diagnostics_never_an_exception()
    {
        var random = new Random(20260101);
        var stopwatch = Stopwatch.StartNew();
        for (var iteration = 0; iteration < 3000; iteration++)
        {
            var text = Mutate(ConfigSamples.MqttwarnIni, random, mutations: 1 + random.Next(8));

            var result = ConfigLoader.LoadText(text, ConfigTestLoader.FilePath);

            Assert.False(
                result.Errors.Any(e => e.Message.StartsWith("Internal error", StringComparison.Ordinal)),
                $"Iteration {iteration}: {string.Join('\n', result.Errors)}\n--- input ---\n{text}");
            Assert.Equal(result.Success, result.Config is not null);
        }

        // Generous: the point is catching super-linear blow-ups (backtracking, quadratic rescans), not timing the machine.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"3000 loads took {stopwatch.Elapsed}");
    }

    private static string Mutate(string text, Random random, int mutations)
    {
        var builder = new StringBuilder(text);
        for (var i = 0; i < mutations && builder.Length > 0; i++)
        {
            var at = random.Next(builder.Length);
            switch (random.Next(5))
            {
                case 0:
                    builder.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 1:
                    builder.Remove(at, Math.Min(builder.Length - at, 1 + random.Next(3)));
                    break;
                case 2:
                    builder[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 3:
                    var length = Math.Min(builder.Length - at, random.Next(80));
                    builder.Insert(random.Next(builder.Length), builder.ToString(at, length));
                    break;
                default:
                    builder.Length = at;
                    break;
            }
        }

        return builder.ToString();
    }
}
