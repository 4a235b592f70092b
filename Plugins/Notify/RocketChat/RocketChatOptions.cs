namespace Hub.Plugins.Notify;

/// <summary>
/// Options of the <c>rocketchat</c> plugin (<c>[config:NAME]</c>): the server and a user's
/// personal access token for the REST API's <c>chat.postMessage</c>. Targets that are incoming
/// webhooks need none of these.
/// </summary>
public sealed class RocketChatOptions : IValidatableOptions
{
    [Option(Description = "the Rocket.Chat server's base URL, e.g. https://chat.example.org (REST API targets)")]
    public string? ServerUrl { get; set; }

    [Option(Description = "the user id of the personal access token (X-User-Id)")]
    public string? UserId { get; set; }

    [Option(Description = "the personal access token (X-Auth-Token; never logged)")]
    public string? AuthToken { get; set; }

    public bool HasRestApi => ServerUrl is not null && UserId is not null && AuthToken is not null;

    public IEnumerable<OptionProblem> Validate()
    {
        if (ServerUrl is not null && !RocketChatTarget.IsHttpUrl(ServerUrl))
        {
            yield return new OptionProblem("server_url", "must be an http(s) URL");
        }

        if ((ServerUrl is null) != (UserId is null) || (UserId is null) != (AuthToken is null))
        {
            yield return new OptionProblem(null, "server_url, user_id and auth_token go together: set all three for the REST API, or none for webhooks only");
        }
    }
}
