using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// A Python exception as the hub reports it: the exception's last line (<c>ZeroDivisionError: division by zero</c>)
/// and where its traceback ends (<c>udf.py:12 in battery</c>), or where a syntax error is.
/// </summary>
/// <param name="File">The file of the last frame (empty when unknown).</param>
/// <param name="Line">Its line (0 when unknown).</param>
/// <param name="Function">The function of the last frame (empty for a syntax error).</param>
/// <param name="Message">The exception's type and text.</param>
internal sealed record PythonError(string File, int Line, string Function, string Message)
{
    /// <summary>Describes <paramref name="exception"/>; call with the GIL held.</summary>
    public static PythonError Of(PythonException exception)
    {
        try
        {
            using var describe = PythonBridge.Module.GetAttr("describe");
            using var value = exception.Value ?? PyObject.FromManagedObject(null!);
            using var traceback = exception.Traceback ?? PyObject.FromManagedObject(null!);
            using var described = describe.Invoke(value, traceback);
            using var file = described[0];
            using var line = described[1];
            using var function = described[2];
            using var message = described[3];
            return new PythonError(file.As<string>(), line.As<int>(), function.As<string>(), message.As<string>());
        }
        catch (PythonException)
        {
            return new PythonError("", 0, "", exception.Message);
        }
    }

    /// <summary><c>ZeroDivisionError: division by zero (udf.py:12 in battery)</c>.</summary>
    public override string ToString()
    {
        if (File.Length == 0)
        {
            return Message;
        }

        var where = $"{Path.GetFileName(File)}:{Line}";
        return Function.Length == 0 ? $"{Message} ({where})" : $"{Message} ({where} in {Function})";
    }
}
