namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>discord</c> plugin (<c>[config:NAME]</c>): defaults for the webhook's display name and avatar.</summary>
public sealed class DiscordOptions : IValidatableOptions
{
    [Option(Description = "the name the webhook posts as, unless the target sets its own (unset: the webhook's own name)")]
    public string? Username { get; set; }

    [Option(Description = "the avatar image URL the webhook posts with, unless the target sets its own")]
    public string? AvatarUrl { get; set; }

    public IEnumerable<OptionProblem> Validate()
    {
        if (AvatarUrl is not null && !DiscordTarget.IsHttpUrl(AvatarUrl))
        {
            yield return new OptionProblem("avatar_url", "must be an http(s) URL");
        }
    }
}
