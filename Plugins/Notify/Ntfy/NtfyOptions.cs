using Hub.Plugins.Common;

namespace Hub.Plugins.Notify;

/// <summary>
/// Options of the <c>ntfy</c> plugin (<c>[config:NAME]</c>): defaults for every ntfy field (a target's
/// descriptor and the message's data override them), and the server's authentication.
/// </summary>
public sealed class NtfyOptions : IValidatableOptions
{
    [Option(Description = "default title (overrides the item's title, as in mqttwarn)")]
    public string? Title { get; set; }

    [Option(Description = "default message (overrides the formatted message, as in mqttwarn)")]
    public string? Message { get; set; }

    [Option(Description = "default tags: comma-separated tags or emoji short codes")]
    public string? Tags { get; set; }

    [Option(Description = "default priority: 1-5 or min, low, default, high, max, urgent")]
    public string? Priority { get; set; }

    [Option(Description = "default action buttons (ntfy's short format or JSON)")]
    public string? Actions { get; set; }

    [Option(Description = "default URL opened when the notification is clicked")]
    public string? Click { get; set; }

    [Option(Description = "default URL of an attachment ntfy links to")]
    public string? Attach { get; set; }

    [Option(Description = "default attachment file name")]
    public string? Filename { get; set; }

    [Option(Description = "default delivery delay (e.g. 30m, tomorrow 10am)")]
    public string? Delay { get; set; }

    [Option(Description = "default notification icon URL")]
    public string? Icon { get; set; }

    [Option(Description = "default e-mail address to forward the notification to")]
    public string? Email { get; set; }

    [Option(Description = "default for caching on the server (no: do not cache)")]
    public string? Cache { get; set; }

    [Option(Description = "default for forwarding to Firebase (no: do not forward)")]
    public string? Firebase { get; set; }

    [Option(Description = "default for UnifiedPush mode (1: the message is binary UnifiedPush data)")]
    public string? Unifiedpush { get; set; }

    [Option(Description = "an access token (tk_…) sent as Authorization: Bearer (never logged)")]
    public string? Token { get; set; }

    [Option(Description = "a user name for basic authentication (with password)")]
    public string? User { get; set; }

    [Option(Description = "the password for basic authentication (never logged)")]
    public string? Password { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (Token is not null && User is not null)
        {
            yield return new OptionProblem("token", "give either token or user and password, not both");
        }

        if ((User is null) != (Password is null))
        {
            yield return new OptionProblem(User is null ? "user" : "password", "user and password go together");
        }

        foreach (var (key, value) in new[] { ("attach", Attach), ("icon", Icon) })
        {
            // Templates ({...}) are checked when they are filled in.
            if (value is not null && !value.Contains('{', StringComparison.Ordinal) && !HttpSend.IsHttpUrl(value))
            {
                yield return new OptionProblem(key, "must be an http(s) URL");
            }
        }
    }
}
