using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>gotify</c> plugin (<c>[config:NAME]</c>): the server and a default application token.</summary>
public sealed class GotifyOptions : IValidatableOptions
{
    [Option(Description = "the Gotify server's base URL (messages go to {url}/message); a target may name its own", Required = true)]
    public string Url { get; set; } = "";

    [Option(Description = "the application token (X-Gotify-Key) for targets without their own (never logged)")]
    public string? Token { get; set; }

    [Option(Description = "render messages as Markdown in Gotify's clients (extras client::display)")]
    public bool Markdown { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (!HttpSend.IsHttpUrl(Url))
        {
            yield return new OptionProblem("url", "must be an http(s) URL");
        }
    }
}
