using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hub.Config.Values;
using Hub.History;

namespace Hub.Cli;

/// <summary><c>hub history series|query|last|export|import</c>: the embedded history, read and filled from the command line.</summary>
internal static class HistoryCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(Option<string?> config, Func<CliContext> cli)
    {
        var path = new Option<string?>("--path") { Description = "The history database (default: 'path' of [history], else history.db in the state directory)", HelpName = "FILE", Recursive = true };
        var history = new Command("history", "The embedded history: series, range queries, last values, export and import") { path };

        var pattern = new Argument<string?>("PATTERN") { Description = "A topic filter (+, #), optionally with #FIELD; default: every series", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--format") { Description = "table, csv or json (default table)", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var series = new Command("series", "List the series: name (TOPIC#FIELD), tags, last time and value") { pattern, format };
        series.SetAction(r => Run(cli(), () => Series(Open(r.GetValue(config), r.GetValue(path), cli()), r.GetValue(pattern), r.GetValue(format)!, cli())));
        history.Subcommands.Add(series);

        var last = new Command("last", "The last value of each series") { pattern, format };
        last.SetAction(r => Run(cli(), () => Series(Open(r.GetValue(config), r.GetValue(path), cli()), r.GetValue(pattern), r.GetValue(format)!, cli())));
        history.Subcommands.Add(last);

        var name = new Argument<string>("SERIES") { Description = "TOPIC#FIELD, or a topic that has one series" };
        var from = new Option<string>("--from") { Description = "Start: ISO 8601 time (UTC unless given), milliseconds since the epoch, 'now', or a duration ago (24h, 7d); default 24h", DefaultValueFactory = _ => "24h" };
        var to = new Option<string>("--to") { Description = "End (exclusive), as --from; default now", DefaultValueFactory = _ => "now" };
        var step = new Option<string?>("--step") { Description = "Step (30s, 5m, 1h); default: the range in 500 steps" };
        var aggregate = new Option<string>("--agg") { Description = "mean, min, max, last or count (default mean)", DefaultValueFactory = _ => "mean" };
        aggregate.AcceptOnlyFromAmong("mean", "min", "max", "last", "count");
        var source = new Option<string>("--source") { Description = "auto, raw, 1m or 1h: the table to read (default auto: picked from step and retention)", DefaultValueFactory = _ => "auto" };
        source.AcceptOnlyFromAmong("auto", "raw", "1m", "1h");
        var query = new Command("query", "A series over a time range, one aggregate per step") { name, from, to, step, aggregate, source, format };
        query.SetAction(r => Run(cli(), () => Query(Open(r.GetValue(config), r.GetValue(path), cli()), r, name, from, to, step, aggregate, source, format, cli())));
        history.Subcommands.Add(query);

        var exportFrom = new Option<string>("--from") { Description = "Start, as for query (default: the beginning)", DefaultValueFactory = _ => "0" };
        var exportTo = new Option<string>("--to") { Description = "End (exclusive), as for query (default: now)", DefaultValueFactory = _ => "now" };
        var exportFormat = new Option<string>("--format") { Description = "csv, jsonl or parquet (default csv)", DefaultValueFactory = _ => "csv" };
        exportFormat.AcceptOnlyFromAmong("csv", "jsonl", "parquet");
        var output = new Option<string?>("--output", "-o") { Description = "The file to write (default: standard output; required for parquet)", HelpName = "FILE" };
        var export = new Command("export", "Write the raw points of the matching series as CSV, JSON Lines or Parquet") { pattern, exportFrom, exportTo, exportFormat, output };
        export.SetAction((r, ct) => CliApp.Guard(cli(), () => ExportAsync(Open(r.GetValue(config), r.GetValue(path), cli()), r.GetValue(pattern), r.GetValue(exportFrom)!, r.GetValue(exportTo)!, r.GetValue(exportFormat)!, r.GetValue(output), cli(), ct)));
        history.Subcommands.Add(export);

        var file = new Argument<string>("FILE") { Description = "A .csv (header: time,topic,field,value[,tags]) or .jsonl file" };
        var import = new Command("import", "Load recorded points from CSV or JSON Lines (rollups follow); bad lines are reported and skipped") { file };
        import.SetAction(r => Run(cli(), () => Import(Open(r.GetValue(config), r.GetValue(path), cli(), create: true), r.GetValue(file)!, cli())));
        history.Subcommands.Add(import);
        return history;
    }

    private static int Run(CliContext cli, Func<int> action) => CliApp.Guard(cli, () => Task.FromResult(action())).GetAwaiter().GetResult();

    /// <summary>The store named by --path, else by the configuration; null (with the reason printed) when there is none.</summary>
    private static HistoryStore? Open(string? configOption, string? pathOption, CliContext cli, bool create = false)
    {
        var (file, retention) = (pathOption, HistoryRetention.Default);
        if (file is null)
        {
            var config = ConfigSource.Load(configOption, cli, printWarnings: false);
            if (config is null)
            {
                return null;
            }

            file = config.History?.Path ?? HistoryOptions.DefaultPath(config.Defaults.StateDirectory, config.Directory);
            retention = config.History?.Retention ?? retention;
        }

        if (!create && !File.Exists(file))
        {
            cli.Error.WriteLine($"hub: no history at {file} (nothing recorded yet, or [history] path names another file)");
            return null;
        }

        return HistoryStore.Open(file, retention);
    }

    private static int Series(HistoryStore? store, string? pattern, string format, CliContext cli)
    {
        if (store is null)
        {
            return ExitCodes.Failure;
        }

        using var _ = store;
        var rows = store.Series(pattern).Select(s => new[] { s.Name, s.Tags, HistoryFiles.Time(s.LastTimestamp), Number(s.LastValue) }).ToList();
        Print(["series", "tags", "time", "value"], rows, format, cli);
        return ExitCodes.Ok;
    }

    private static int Query(
        HistoryStore? store, ParseResult r, Argument<string> name, Option<string> from, Option<string> to, Option<string?> step,
        Option<string> aggregate, Option<string> source, Option<string> format, CliContext cli)
    {
        if (store is null)
        {
            return ExitCodes.Failure;
        }

        using var _ = store;
        var now = DateTimeOffset.UtcNow;
        if (!PointInTime.TryParse(r.GetValue(from)!, now, out var start) || !PointInTime.TryParse(r.GetValue(to)!, now, out var end) || end <= start)
        {
            cli.Error.WriteLine($"hub: --from '{r.GetValue(from)}' and --to '{r.GetValue(to)}' must be times with --from before --to");
            return ExitCodes.ConfigError;
        }

        var stepText = r.GetValue(step);
        TimeSpan interval;
        if (stepText is null)
        {
            interval = TimeSpan.FromMilliseconds(Math.Max(1000, Math.Ceiling((end - start).TotalMilliseconds / 500)));
        }
        else if (!Durations.TryParse(stepText, out interval) || interval < TimeSpan.FromMilliseconds(1))
        {
            cli.Error.WriteLine($"hub: --step '{stepText}' is not a duration such as 30s, 5m or 1h");
            return ExitCodes.ConfigError;
        }

        var agg = Enum.Parse<HistoryAggregate>(r.GetValue(aggregate)!, ignoreCase: true);
        var resolution = r.GetValue(source) switch { "raw" => HistoryResolution.Raw, "1m" => HistoryResolution.OneMinute, "1h" => HistoryResolution.OneHour, _ => HistoryResolution.Auto };
        var result = store.Query(r.GetValue(name)!, start, end, interval, agg, resolution);
        var rows = result.Samples.Select(s => new[] { HistoryFiles.Time(s.Timestamp), Number(s.Value) }).ToList();
        Print(["time", r.GetValue(aggregate)!], rows, r.GetValue(format)!, cli);
        if (r.GetValue(format) == "table")
        {
            cli.Out.WriteLine($"{rows.Count} steps of {Durations.Format(interval)}, read from {Describe(result.Resolution)}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ExportAsync(HistoryStore? store, string? pattern, string fromText, string toText, string format, string? output, CliContext cli, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return ExitCodes.Failure;
        }

        using var _ = store;
        var now = DateTimeOffset.UtcNow;
        if (!PointInTime.TryParse(fromText, now, out var from) || !PointInTime.TryParse(toText, now, out var to))
        {
            cli.Error.WriteLine($"hub: --from '{fromText}' and --to '{toText}' must be times");
            return ExitCodes.ConfigError;
        }

        if (format == "parquet" && output is null)
        {
            cli.Error.WriteLine("hub: --format parquet needs --output FILE");
            return ExitCodes.ConfigError;
        }

        var points = store.Points(pattern, from, to);
        long count;
        if (format == "parquet")
        {
            await using var stream = File.Create(output!);
            count = await HistoryFiles.WriteParquetAsync(points, stream, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await using var file = output is null ? null : new StreamWriter(output);
            var writer = (TextWriter?)file ?? cli.Out;
            count = format == "jsonl" ? HistoryFiles.WriteJsonLines(points, writer) : HistoryFiles.WriteCsv(points, writer);
        }

        if (output is not null)
        {
            cli.Out.WriteLine($"Exported {count} points to {output}");
        }

        return ExitCodes.Ok;
    }

    private static int Import(HistoryStore? store, string file, CliContext cli)
    {
        if (store is null)
        {
            return ExitCodes.Failure;
        }

        using var _ = store;
        var problems = new List<string>();
        var (read, added) = (0L, 0L);
        foreach (var chunk in HistoryFiles.Read(file, problems).Chunk(50_000))
        {
            read += chunk.Length;
            added += store.Write(chunk);
        }

        problems.ForEach(cli.Error.WriteLine);
        cli.Out.WriteLine($"Imported {added} of {read} points from {file}{(read > added ? $" ({read - added} were stored already)" : "")}{(problems.Count > 0 ? $"; {problems.Count} lines skipped" : "")}");
        return problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Describe(HistoryResolution resolution) => resolution switch
    {
        HistoryResolution.OneMinute => "1-minute rollups",
        HistoryResolution.OneHour => "1-hour rollups",
        _ => "raw points",
    };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static void Print(string[] columns, List<string[]> rows, string format, CliContext cli)
    {
        switch (format)
        {
            case "csv":
                cli.Out.WriteLine(string.Join(',', columns));
                rows.ForEach(row => cli.Out.WriteLine(string.Join(',', row.Select(HistoryFiles.CsvField))));
                break;
            case "json":
                // Numbers as numbers; names, tags and times as strings.
                cli.Out.WriteLine(JsonSerializer.Serialize(
                    rows.Select(row => columns.Zip(row).ToDictionary(c => c.First, c => c.First is "series" or "tags" or "time" ? (object)c.Second : double.Parse(c.Second, CultureInfo.InvariantCulture))),
                    JsonOptions));
                break;
            default:
                var widths = columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Length).Max()).ToArray();
                cli.Out.WriteLine(string.Join("  ", columns.Select((c, i) => c.ToUpperInvariant().PadRight(widths[i]))).TrimEnd());
                rows.ForEach(row => cli.Out.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd()));
                break;
        }
    }
}
