namespace Hub.Plugins.Notify;

/// <summary>Options of the <c>webhook</c> plugin (<c>[config:NAME]</c>): defaults for every target, which a target's dict overrides.</summary>
public sealed class WebhookOptions : IValidatableOptions
{
    [Option(Description = "the HTTP method: POST, PUT, PATCH, GET or DELETE")]
    public string Method { get; set; } = "POST";

    [Option(Description = "request headers, a dict {name: value} (use $ENV variables for tokens; values are never logged)")]
    public IReadOnlyDictionary<string, object?>? Headers { get; set; }

    [Option(Description = "the body template, formatted with the data plus message, title, priority and topic (default: the message)")]
    public string? Body { get; set; }

    [Option(Description = "the Content-Type of the body")]
    public string ContentType { get; set; } = "text/plain; charset=utf-8";

    public IEnumerable<OptionProblem> Validate()
    {
        foreach (var problem in WebhookTarget.Problems(Method, Headers, ContentType))
        {
            yield return new OptionProblem(problem.Key, problem.Message);
        }
    }
}
