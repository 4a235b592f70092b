namespace Hub.Broker.Security;

/// <summary>
/// A password or ACL file the broker cannot use. <see cref="Exception.Message"/> reads <c>FILE:LINE: detail</c>
/// (just <c>FILE: detail</c> when the problem concerns the whole file), so configuration loading can report it as is;
/// <see cref="File"/>, <see cref="Line"/> and <see cref="Detail"/> give the parts. Never contains a password or hash.
/// </summary>
internal sealed class BrokerSecurityException : Exception
{
    public BrokerSecurityException(string file, int line, string detail)
        : base(Format(file, line, detail))
    {
        File = file;
        Line = line;
        Detail = detail;
    }

    public BrokerSecurityException(string file, string detail, Exception inner)
        : base(Format(file, 0, detail), inner)
    {
        File = file;
        Detail = detail;
    }

    public BrokerSecurityException()
        : this("", 0, "broker security error")
    {
    }

    public BrokerSecurityException(string message)
        : this("", 0, message)
    {
    }

    public BrokerSecurityException(string message, Exception innerException)
        : this("", message, innerException)
    {
    }

    private static string Format(string file, int line, string detail) =>
        file.Length == 0 ? detail : line > 0 ? $"{file}:{line}: {detail}" : $"{file}: {detail}";

    /// <summary>The file's path as given in the configuration.</summary>
    public string File { get; } = "";

    /// <summary>The 1-based line, or 0 when the problem concerns the whole file (it cannot be read).</summary>
    public int Line { get; }

    /// <summary>The message without the location.</summary>
    public string Detail { get; } = "";
}
