using System.Text;

namespace Hub.Tests.Reliability;

/// <summary>Structural mutations of an INI file for the config fuzz: what editors, merges, disks and people do to one.</summary>
public static class ConfigMutations
{
    private static readonly string[] Junk =
    [
        "[", "]", "{", "}", "(", ")", "'", "\"", "'''", ",", ":", "=", ";", "#", "\\", "$ENV:", "${ENV:HUB_FUZZ_UNSET}", "${FILE:/nonexistent/x}",
        "$FILE:", "{payload", "{0}", "{x:>>>9.9.9f}", "%(", "None", "True", "0x", "1e999", "-", "\t", "\r", "\uFEFF", "\0", "é", "🔥",
    ];

    public static byte[] Mutate(string text, Random random, int mutations)
    {
        ArgumentNullException.ThrowIfNull(random);
        var lines = (text ?? "").Split('\n').ToList();
        var flips = 0;
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(Math.Max(1, lines.Count));
            if (lines.Count == 0)
            {
                lines.Add("");
            }

            switch (random.Next(13))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[at]);
                    break;
                case 2:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    lines.Insert(at, $"{RandomWord(random)} = {Junk[random.Next(Junk.Length)]}{RandomWord(random)}");
                    break;
                case 4:
                    lines.Insert(at, $"{RandomWord(random)} = {HugeValue(random)}");
                    break;
                case 5:
                    lines[at] = RemoveOne(lines[at], "'\"", random);
                    break;
                case 6:
                    lines[at] = RemoveOne(lines[at], "[]{}()", random);
                    break;
                case 7:
                    lines[at] = lines[at].Insert(random.Next(lines[at].Length + 1), Junk[random.Next(Junk.Length)]);
                    break;
                case 8:
                    lines.Insert(at, random.Next(3) switch { 0 => "[" + RandomWord(random), 1 => "[]", _ => $"[{RandomWord(random)}/#]" });
                    break;
                case 9:
                    lines[at] = "    " + lines[at];
                    break;
                case 10:
                    lines[at] = lines[at].TrimStart();
                    break;
                case 11:
                    flips++;
                    break;
                default:
                    lines.RemoveRange(at, lines.Count - at);
                    break;
            }
        }

        var bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        for (var f = 0; f < flips && bytes.Length > 0; f++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }

        // Truncation mid-file (mid-character, even) now and then.
        return random.Next(10) == 0 && bytes.Length > 0 ? bytes[..random.Next(bytes.Length)] : bytes;
    }

    private static string RandomWord(Random random) =>
        random.Next(4) switch
        {
            0 => "targets",
            1 => "format",
            2 => "k" + random.Next(1000),
            _ => new[] { "qos", "port", "launch", "retries", "durable", "max_queue", "rate", "dedup", "failover", "topic", "filter", "template", "timeout", "plugins", "state_dir" }[random.Next(15)],
        };

    private static string HugeValue(Random random) =>
        random.Next(4) switch
        {
            0 => new string('x', 1 << 20),
            1 => "[" + string.Join(", ", Enumerable.Repeat("'a'", 100_000)) + "]",
            2 => new string('[', 50_000),
            _ => "{" + string.Join(", ", Enumerable.Range(0, 50_000).Select(i => $"'k{i}': {i}")) + "}",
        };

    private static string RemoveOne(string line, string characters, Random random)
    {
        var positions = Enumerable.Range(0, line.Length).Where(i => characters.Contains(line[i], StringComparison.Ordinal)).ToList();
        return positions.Count == 0 ? line + characters[random.Next(characters.Length)] : line.Remove(positions[random.Next(positions.Count)], 1);
    }
}
