namespace Hub.Tests.Support;

/// <summary>A scripted answer of <see cref="FakeHttpApi"/>.</summary>
public sealed record FakeHttpResponse(int Status, string Body, string ContentType)
{
    /// <summary>Extra response headers (e.g. <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>How long the server waits before answering (a hanging API); the client's timeout should fire first.</summary>
    public TimeSpan Delay { get; init; }

    public static FakeHttpResponse Json(string body, int status = 200) => new(status, body, "application/json");

    public static FakeHttpResponse Text(string body, int status = 200) => new(status, body, "text/plain; charset=utf-8");
}
