using System.Text;

namespace Hub.Tests.Support;

/// <summary>One part of a multipart/form-data request body received by <see cref="FakeHttpApi"/>.</summary>
public sealed record FakeHttpPart(string Name, string? FileName, string? ContentType, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}
