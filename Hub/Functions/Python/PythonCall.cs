using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// Runs one call into Python on the calling thread, holding the GIL only for the call. A cancelled call (its
/// timeout passed) gets an asynchronous <c>KeyboardInterrupt</c>, so a function stuck in Python code frees its
/// thread; one blocked in a C call (e.g. <c>time.sleep</c>) holds no GIL and returns by itself, its result ignored.
/// </summary>
internal static class PythonCall
{
    /// <summary>Calls <paramref name="call"/> with the GIL; a Python exception becomes <see cref="PythonFunctionException"/>.</summary>
    public static T Run<T>(Func<T> call, CancellationToken cancellation)
    {
        var state = new State();
        CancellationTokenRegistration registration = default;
        try
        {
            using (Py.GIL())
            {
                state.ThreadId = PythonEngine.GetPythonThreadID();
                state.Running = true;
                if (cancellation.CanBeCanceled)
                {
                    registration = cancellation.Register(static s => ((State)s!).Interrupt(), state);
                }

                try
                {
                    return call();
                }
                catch (PythonException ex)
                {
                    throw new PythonFunctionException(PythonError.Of(ex), ex);
                }
                finally
                {
                    state.Running = false;
                }
            }
        }
        finally
        {
            // Outside the GIL: Dispose waits for a running callback, which needs the GIL.
            registration.Dispose();
        }
    }

    private sealed class State
    {
        public ulong ThreadId;
        public bool Running;

        public void Interrupt()
        {
            using (Py.GIL())
            {
                // Under the GIL: a call that already returned is never interrupted (Running is cleared under the GIL too).
                if (Running)
                {
                    PythonEngine.Interrupt(ThreadId);
                }
            }
        }
    }
}
