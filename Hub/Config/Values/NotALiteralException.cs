namespace Hub.Config.Values;

/// <summary>Unwinds the literal parser when the input leaves the supported subset; never escapes it.</summary>
internal sealed class NotALiteralException : Exception
{
    public NotALiteralException()
        : base("not a Python literal")
    {
    }
}
