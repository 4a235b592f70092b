namespace Hub.Formatting;

/// <summary>Judges a <c>str.format</c> string at load time, without data (for configuration warnings).</summary>
internal static class FormatCheck
{
    /// <summary>
    /// Each problem with <paramref name="format"/>; <c>NeverWorks</c> when no data can make it render (a syntax error,
    /// an unknown format code): at run time such a field always falls back to the payload.
    /// </summary>
    public static IReadOnlyList<(string Problem, bool NeverWorks)> Problems(string format)
    {
        try
        {
            return FormatTemplate.Parse(format).StaticProblems().ToList();
        }
        catch (FormatException ex)
        {
            return [(ex.Message, true)];
        }
    }
}
