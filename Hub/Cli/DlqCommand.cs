using System.Globalization;
using Hub.Config;
using Hub.Delivery;

namespace Hub.Cli;

/// <summary><c>hub dlq list|replay|purge [--target SERVICE[:TARGET]]</c>: the items targets gave up on.</summary>
internal static class DlqCommand
{
    public static int List(string? configOption, string? target, CliContext cli)
    {
        var (_, store) = Open(configOption, cli);
        if (store is null)
        {
            return ExitCodes.ConfigError;
        }

        var problems = new List<string>();
        var letters = store.Read(target, problems);
        problems.ForEach(cli.Error.WriteLine);
        if (letters.Count == 0)
        {
            cli.Out.WriteLine($"No dead letters{(target is null ? "" : $" for {target}")} in {store.Directory}");
            return ExitCodes.Ok;
        }

        foreach (var letter in letters)
        {
            cli.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{letter.Id}  {letter.At:yyyy-MM-dd HH:mm:ss}Z  {letter.DisplayTarget}  topic={letter.Topic}  reason: {letter.Reason}"));
            cli.Out.WriteLine($"    {OneLine(letter.IsBinary ? $"({letter.MessageBytes.Length} bytes)" : letter.Message)}");
        }

        cli.Out.WriteLine($"{letters.Count} dead letter(s) in {store.Directory}");
        return ExitCodes.Ok;
    }

    public static int Purge(string? configOption, string? target, CliContext cli)
    {
        var (_, store) = Open(configOption, cli);
        if (store is null)
        {
            return ExitCodes.ConfigError;
        }

        var letters = store.List(target);
        letters.ToList().ForEach(DeadLetterStore.Remove);
        cli.Out.WriteLine($"Purged {letters.Count} dead letter(s){(target is null ? "" : $" of {target}")}");
        return ExitCodes.Ok;
    }

    /// <summary>Delivers each letter again through its target as configured now; a delivered letter is removed, a failed one kept.</summary>
    public static async Task<int> ReplayAsync(string? configOption, string? target, CliContext cli, CancellationToken cancellationToken)
    {
        var (config, store) = Open(configOption, cli);
        if (config is null || store is null)
        {
            return ExitCodes.ConfigError;
        }

        var letters = store.List(target);
        if (letters.Count == 0)
        {
            cli.Out.WriteLine($"No dead letters{(target is null ? "" : $" for {target}")} to replay");
            return ExitCodes.Ok;
        }

        var (sinks, exitCode) = await OfflineSinks.CreateAsync(configOption, cli, cancellationToken).ConfigureAwait(false);
        if (sinks is null)
        {
            return exitCode;
        }

        await using var _ = sinks.ConfigureAwait(false);
        var (sent, failed) = (0, 0);
        foreach (var letter in letters)
        {
            if (!sinks.Graph.Targets.TryGetValue((letter.Service, letter.Target), out var bound) || sinks.For(bound) is not { } sink)
            {
                cli.Error.WriteLine($"{letter.Id}: {letter.DisplayTarget} is not a configured sink target any more; kept");
                failed++;
                continue;
            }

            if (await sink.DeliverAsync(bound.Readdress(letter.ToItem(bound.Service, bound.Target)), cancellationToken).ConfigureAwait(false))
            {
                DeadLetterStore.Remove(letter);
                cli.Out.WriteLine($"{letter.Id}: {letter.DisplayTarget}: sent");
                sent++;
            }
            else
            {
                cli.Out.WriteLine($"{letter.Id}: {letter.DisplayTarget}: failed again; kept");
                failed++;
            }
        }

        cli.Out.WriteLine($"Replayed {sent} of {letters.Count} dead letter(s)");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static (HubConfig? Config, DeadLetterStore? Store) Open(string? configOption, CliContext cli)
    {
        var config = ConfigSource.Load(configOption, cli, printWarnings: false);
        return config is null ? (null, null) : (config, DeadLetterStore.For(config));
    }

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 120 ? line : line[..120] + "…";
    }
}
