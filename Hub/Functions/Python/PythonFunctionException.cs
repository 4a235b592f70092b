namespace Hub.Functions.Python;

/// <summary>A Python function or service module raised; the message is the exception and where its traceback ends.</summary>
public sealed class PythonFunctionException : Exception
{
    internal PythonFunctionException(PythonError error, Exception inner)
        : base(error.ToString(), inner) => Error = error;

    /// <summary>Creates an exception with a message only.</summary>
    public PythonFunctionException()
    {
        Error = new PythonError("", 0, "", "");
    }

    /// <summary>Creates an exception with a message only.</summary>
    public PythonFunctionException(string message)
        : base(message) => Error = new PythonError("", 0, "", message);

    /// <summary>Creates an exception with a message and a cause.</summary>
    public PythonFunctionException(string message, Exception inner)
        : base(message, inner) => Error = new PythonError("", 0, "", message);

    internal PythonError Error { get; }
}
