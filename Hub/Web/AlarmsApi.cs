using System.Text.Json;
using System.Text.Json.Nodes;
using Hub.Diagnostics;
using Hub.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hub.Web;

/// <summary>
/// The alarms on the web endpoint (behind the same bearer token as the rest of <c>/api</c>): <c>GET /api/alarms</c>
/// (<c>?all=true</c> includes normal keys), <c>GET /api/alarms/history?rule=&amp;key=&amp;limit=</c>,
/// <c>GET /api/alarms/silences</c>, and <c>POST /api/alarms/ack|silence|unsilence</c> with a JSON object
/// (<see cref="AlarmCommands"/>). <c>hub alarms</c> is a client of these.
/// </summary>
internal static class AlarmsApi
{
    public static void Map(IEndpointRouteBuilder endpoints, HubObserver hub)
    {
        endpoints.MapGet("/api/alarms", (HttpContext context) => Run(hub, "list", Query(context)));
        endpoints.MapGet("/api/alarms/{command}", (string command, HttpContext context) =>
            command is "history" or "silences" or "list" ? Run(hub, command, Query(context)) : Results.Json(AlarmCommands.Error($"use POST for '{command}'"), statusCode: 405));
        endpoints.MapPost("/api/alarms/{command}", async (string command, HttpContext context) =>
        {
            try
            {
                using var body = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
                return Run(hub, command, body.RootElement.Clone());
            }
            catch (JsonException ex)
            {
                return Results.Json(AlarmCommands.Error($"the body is not a JSON object: {ex.Message}"), statusCode: StatusCodes.Status400BadRequest);
            }
        });
    }

    private static IResult Run(HubObserver hub, string command, JsonElement args)
    {
        if (hub.Runtime.Alarms is not { } alarms)
        {
            return Results.Json(AlarmCommands.Error("no [rule:NAME] sections: there are no alarms"), statusCode: StatusCodes.Status404NotFound);
        }

        var answer = AlarmCommands.Execute(alarms.Lifecycle, command, args, "web");
        return Results.Content(answer.ToJsonString(), "application/json", statusCode: answer["ok"]?.GetValue<bool>() == true ? 200 : 400);
    }

    private static JsonElement Query(HttpContext context)
    {
        var args = new JsonObject();
        foreach (var (name, value) in context.Request.Query)
        {
            args[name] = value.ToString();
        }

        return JsonDocument.Parse(args.ToJsonString()).RootElement.Clone();
    }
}
