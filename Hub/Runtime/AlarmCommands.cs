using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Analytics.Alarms;
using Hub.Config.Values;

namespace Hub.Runtime;

/// <summary>
/// The alarm commands of the web API (<c>/api/alarms/...</c>) and the MQTT command topics (<c>alarms/command/...</c>):
/// <c>list</c>, <c>history</c>, <c>silences</c>, <c>ack</c>, <c>silence</c>, <c>unsilence</c>. Each takes a JSON object of
/// arguments and answers a JSON object (<c>{"ok": true, ...}</c> or <c>{"ok": false, "error": "..."}</c>).
/// </summary>
internal static class AlarmCommands
{
    public static readonly IReadOnlyList<string> Names = ["list", "history", "silences", "ack", "silence", "unsilence"];

    public static JsonObject Execute(AlarmLifecycle alarms, string command, JsonElement args, string defaultUser)
    {
        try
        {
            return command switch
            {
                "list" => Ok("alarms", new JsonArray([.. alarms.List(Bool(args, "all")).Select(View)])),
                "history" => Ok("history", new JsonArray([.. alarms.History(Text(args, "rule"), Text(args, "key"), Int(args, "limit") ?? 100)
                    .Select(h => JsonNode.Parse(h.Json))])),
                "silences" => Ok("silences", new JsonArray([.. alarms.Silences().Select(Silence)])),
                "ack" => Ack(alarms, args, defaultUser),
                "silence" => AddSilence(alarms, args, defaultUser),
                "unsilence" => Text(args, "id") is { } id
                    ? alarms.RemoveSilence(id) ? Ok("id", id) : Error($"there is no silence '{id}'")
                    : Error("unsilence needs \"id\""),
                _ => Error($"unknown command '{command}' (known: {string.Join(", ", Names)})"),
            };
        }
        catch (InvalidOperationException ex)
        {
            return Error(ex.Message);
        }
    }

    public static JsonObject Error(string message) => new() { ["ok"] = false, ["error"] = message };

    private static JsonObject Ack(AlarmLifecycle alarms, JsonElement args, string defaultUser)
    {
        if (Text(args, "rule") is not { } rule || Text(args, "key") is not { } key)
        {
            return Error("ack needs \"rule\" and \"key\"");
        }

        TimeSpan? expires = null;
        if (Text(args, "expires") is { } text)
        {
            if (!Durations.TryParse(text, out var span) || span <= TimeSpan.Zero)
            {
                return Error($"expires '{text}' is not a duration such as 4h");
            }

            expires = span;
        }

        return alarms.Acknowledge(rule, key, Text(args, "by") ?? defaultUser, Text(args, "comment") ?? "", expires)
            ? Ok("acknowledged", $"{rule}/{key}")
            : Error($"{rule}/{key} is not an alarm that is on (firing, nodata or error)");
    }

    private static JsonObject AddSilence(AlarmLifecycle alarms, JsonElement args, string defaultUser)
    {
        var errors = new List<string>();
        var matchers = LabelMatcher.ParseList(Text(args, "matchers") ?? "", errors);
        if (errors.Count > 0 || matchers.Count == 0)
        {
            return Error(errors.Count > 0 ? string.Join("; ", errors) : "silence needs \"matchers\", e.g. \"site=north, rule=~device_.*\"");
        }

        var text = Text(args, "duration") ?? "1h";
        if (!Durations.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            return Error($"duration '{text}' is not a duration such as 2h");
        }

        var silence = alarms.AddSilence(matchers, duration, Text(args, "by") ?? defaultUser, Text(args, "comment") ?? "");
        return Ok("silence", Silence(silence));
    }

    private static JsonObject View(AlarmView view)
    {
        var alarm = JsonNode.Parse(AlarmJson.Transition(view.Alarm))!.AsObject();
        alarm["acknowledged_by"] = view.AcknowledgedBy;
        alarm["acknowledged_until"] = view.AcknowledgedUntil is { } until ? AlarmJson.Iso(until) : null;
        alarm["muted_by"] = view.MutedBy;
        alarm["notified"] = view.Notified;
        alarm["correlated"] = new JsonArray([.. view.Correlated.Select(c => JsonValue.Create(c))]);
        return alarm;
    }

    private static JsonObject Silence(Silence silence) => new()
    {
        ["id"] = silence.Id,
        ["matchers"] = silence.MatcherText,
        ["starts"] = AlarmJson.Iso(silence.Starts),
        ["ends"] = AlarmJson.Iso(silence.Ends),
        ["by"] = silence.CreatedBy,
        ["comment"] = silence.Comment,
    };

    private static JsonObject Ok(string name, JsonNode? value) => new() { ["ok"] = true, [name] = value };

    private static string? Text(JsonElement args, string name) =>
        args.ValueKind == JsonValueKind.Object && args.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            }
            : null;

    private static bool Bool(JsonElement args, string name) => Text(args, name) is "true" or "True" or "1";

    private static int? Int(JsonElement args, string name) => int.TryParse(Text(args, name), out var number) && number > 0 ? Math.Min(number, 10_000) : null;
}
