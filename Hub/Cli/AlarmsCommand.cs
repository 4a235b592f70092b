using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Hub.Config;

namespace Hub.Cli;

/// <summary>
/// <c>hub alarms list|ack|silence|unsilence|silences|history</c>: the running hub's alarms through its web API
/// (<c>[web]</c> of the configuration, with its <c>auth_token</c>; <c>--url</c> overrides the address). Prints a table, or
/// the API's JSON with <c>--json</c>.
/// </summary>
internal static class AlarmsCommand
{
    public static Command Create(Option<string?> config, Func<CliContext> cli)
    {
        var url = new Option<string?>("--url") { Description = "The hub's web endpoint (default: from [web] of the configuration)", Recursive = true };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON", Recursive = true };
        var alarms = new Command("alarms", "The running hub's alarms: list, acknowledge, silence, history (through its web API)") { url, json };

        var all = new Option<bool>("--all") { Description = "Include keys in the normal state" };
        var list = new Command("list", "The alarms that are not normal (correlated ones under the alarm they fire with)") { all };
        list.SetAction(r => Run(r.GetValue(config), r.GetValue(url), r.GetValue(json), HttpMethod.Get, "alarms" + (r.GetValue(all) ? "?all=true" : ""), null, cli()));
        alarms.Subcommands.Add(list);

        var rule = new Argument<string>("RULE");
        var key = new Argument<string>("KEY");
        var comment = new Option<string?>("--comment") { Description = "Why" };
        var by = new Option<string?>("--by") { Description = "Who (default: the user name)" };
        var expires = new Option<string?>("--expires") { Description = "The acknowledgement lapses after this (e.g. 4h); default: when the alarm resolves (or the rule's ack_expire)" };
        var ack = new Command("ack", "Acknowledge an alarm: no repeats until it resolves") { rule, key, comment, by, expires };
        ack.SetAction(r => Run(r.GetValue(config), r.GetValue(url), r.GetValue(json), HttpMethod.Post, "alarms/ack", new JsonObject
        {
            ["rule"] = r.GetValue(rule), ["key"] = r.GetValue(key), ["comment"] = r.GetValue(comment), ["by"] = r.GetValue(by) ?? Environment.UserName, ["expires"] = r.GetValue(expires),
        }, cli()));
        alarms.Subcommands.Add(ack);

        var matchers = new Argument<string>("MATCHERS") { Description = "label=value, label!=value, label=~regex, label!~regex, comma-separated (labels include rule, key, severity)" };
        var duration = new Option<string>("--duration") { Description = "How long (default 1h)", DefaultValueFactory = _ => "1h" };
        var silence = new Command("silence", "Mute the notifications of matching alarms for a while") { matchers, duration, comment, by };
        silence.SetAction(r => Run(r.GetValue(config), r.GetValue(url), r.GetValue(json), HttpMethod.Post, "alarms/silence", new JsonObject
        {
            ["matchers"] = r.GetValue(matchers), ["duration"] = r.GetValue(duration), ["comment"] = r.GetValue(comment), ["by"] = r.GetValue(by) ?? Environment.UserName,
        }, cli()));
        alarms.Subcommands.Add(silence);

        var id = new Argument<string>("ID");
        var unsilence = new Command("unsilence", "Remove a silence") { id };
        unsilence.SetAction(r => Run(r.GetValue(config), r.GetValue(url), r.GetValue(json), HttpMethod.Post, "alarms/unsilence", new JsonObject { ["id"] = r.GetValue(id) }, cli()));
        alarms.Subcommands.Add(unsilence);

        var silences = new Command("silences", "The active silences");
        silences.SetAction(r => Run(r.GetValue(config), r.GetValue(url), r.GetValue(json), HttpMethod.Get, "alarms/silences", null, cli()));
        alarms.Subcommands.Add(silences);

        var ruleOption = new Option<string?>("--rule");
        var keyOption = new Option<string?>("--key");
        var limit = new Option<int>("--limit") { DefaultValueFactory = _ => 50 };
        var history = new Command("history", "The latest transitions, newest first") { ruleOption, keyOption, limit };
        history.SetAction(r => Run(r.GetValue(config), r.GetValue(url), r.GetValue(json), HttpMethod.Get,
            $"alarms/history?limit={r.GetValue(limit)}{Query("rule", r.GetValue(ruleOption))}{Query("key", r.GetValue(keyOption))}", null, cli()));
        alarms.Subcommands.Add(history);
        return alarms;
    }

    private static string Query(string name, string? value) => value is null ? "" : $"&{name}={Uri.EscapeDataString(value)}";

    private static int Run(string? configOption, string? url, bool raw, HttpMethod method, string path, JsonObject? body, CliContext cli)
    {
        string? token = null;
        if (url is null)
        {
            if (ConfigSource.Load(configOption, cli, printWarnings: false) is not { } config)
            {
                return ExitCodes.ConfigError;
            }

            if (config.Web is not WebOptions web)
            {
                cli.Error.WriteLine("The configuration has no [web] section: give the hub's web endpoint with --url");
                return ExitCodes.ConfigError;
            }

            var host = web.Host is "0.0.0.0" or "*" or "" ? "127.0.0.1" : web.Host is "::" ? "[::1]" : web.Host;
            url = $"{(web.IsTls ? "https" : "http")}://{host}:{web.Port}";
            token = web.AuthToken;
        }

        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(method, $"{url.TrimEnd('/')}/api/{path}");
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            }

            using var response = http.Send(request);
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            var answer = JsonNode.Parse(text) as JsonObject;
            if (raw)
            {
                cli.Out.WriteLine(text);
            }
            else if (answer is not null)
            {
                Print(answer, cli);
            }

            return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            cli.Error.WriteLine($"The hub's web API at {url} did not answer: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    private static void Print(JsonObject answer, CliContext cli)
    {
        var o = cli.Out;
        if (answer["ok"]?.GetValue<bool>() != true)
        {
            cli.Error.WriteLine($"Error: {answer["error"]}");
            return;
        }

        if (answer["alarms"] is JsonArray alarms)
        {
            o.WriteLine($"{"RULE",-20} {"KEY",-30} {"STATE",-10} {"SEVERITY",-9} {"SINCE",-24} {"VALUE",-10} NOTES");
            foreach (var a in alarms.OfType<JsonObject>())
            {
                var notes = new List<string>();
                if (a["flapping"]?.GetValue<bool>() == true) notes.Add("flapping");
                if (a["acknowledged_by"] is { } ackBy) notes.Add($"ack by {ackBy}");
                if (a["muted_by"] is { } muted) notes.Add(muted.ToString());
                if (a["correlated"] is JsonArray { Count: > 0 } members) notes.Add($"with {string.Join(", ", members)}");
                o.WriteLine($"{a["rule"],-20} {a["key"],-30} {a["state"],-10} {a["severity"],-9} {a["since"],-24} {a["value"]?.ToJsonString() ?? "null",-10} {string.Join("; ", notes)}");
                if (a["summary"] is { } summary) o.WriteLine($"{"",-20} {summary}");
            }
        }
        else if (answer["silences"] is JsonArray silences)
        {
            foreach (var s in silences.OfType<JsonObject>())
            {
                o.WriteLine($"{s["id"]}  {s["matchers"]}  until {s["ends"]}  by {s["by"]}  {s["comment"]}");
            }
        }
        else if (answer["history"] is JsonArray history)
        {
            foreach (var h in history.OfType<JsonObject>())
            {
                o.WriteLine($"{h["since"]}  {h["rule"]}/{h["key"]}  {h["previous"]} -> {h["state"]}  {h["summary"]}");
            }
        }
        else if (answer["silence"] is JsonObject silence)
        {
            o.WriteLine($"Silence {silence["id"]} until {silence["ends"]}: {silence["matchers"]}");
        }
        else
        {
            o.WriteLine(answer.Where(p => p.Key != "ok").Select(p => $"{p.Key}: {p.Value}").FirstOrDefault() ?? "done");
        }
    }
}
