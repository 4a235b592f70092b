namespace Hub.Plugins.Notify;

/// <summary>One server reply: the three-digit code and the text of every line (multi-line replies joined).</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;

    public string Text => string.Join(" ", Lines);

    public override string ToString() => $"{Code} {Text}";
}
