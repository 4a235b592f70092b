namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>matrix</c> plugin (<c>[config:NAME]</c>): the homeserver and the bot account's access token.</summary>
public sealed class MatrixOptions : IValidatableOptions
{
    [Option(Description = "the homeserver's client-server API base URL")]
    public string Homeserver { get; set; } = "https://matrix-client.matrix.org";

    [Option(Description = "the access token of the account that posts (Authorization: Bearer; never logged)", Required = true)]
    public string AccessToken { get; set; } = "";

    [Option(Description = "m.text, or m.notice for a bot's messages (clients show them muted and bots do not answer them)")]
    public string Msgtype { get; set; } = "m.text";

    public IEnumerable<OptionProblem> Validate()
    {
        if (!Uri.TryCreate(Homeserver, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return new OptionProblem("homeserver", "must be an http(s) URL");
        }

        if (string.IsNullOrWhiteSpace(AccessToken))
        {
            yield return new OptionProblem("access_token", "must not be empty");
        }

        if (Msgtype is not ("m.text" or "m.notice"))
        {
            yield return new OptionProblem("msgtype", $"must be m.text or m.notice (got '{Msgtype}')");
        }
    }
}
