using Python.Runtime;

namespace Hub.Functions.Python;

/// <summary>
/// Runs one call into Python on the calling thread, holding the GIL only for the call. A cancelled call (its
/// timeout passed) gets an asynchronous <c>KeyboardInterrupt</c>, so a function stuck in Python code frees its
/// thread; one blocked in a C call (e.g. <c>time.sleep</c>) holds no GIL and returns by itself, its result ignored.
/// </summary>
internal static class PythonCall
{
    // Set once this OS thread has a Python thread state of its own (see KeepThreadState).
    [ThreadStatic]
    private static Py.GILState? _threadState;

    /// <summary>Calls <paramref name="call"/> with the GIL; a Python exception becomes <see cref="PythonFunctionException"/>.</summary>
    public static T Run<T>(Func<T> call, CancellationToken cancellation)
    {
        KeepThreadState();
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

    /// <summary>
    /// Gives this thread a Python thread state that outlives one call: taking the GIL on a thread without one creates a
    /// thread state and releasing it destroys it again, which costs more than a small function itself. The state is
    /// kept (one per pool thread, for the process's lifetime) and the GIL released at once.
    /// </summary>
    private static void KeepThreadState()
    {
        if (_threadState is not null)
        {
            return;
        }

        // Never released: the outer hold keeps the thread state; BeginAllowThreads gives the GIL back. Its finalizer
        // (which insists on a release on this thread) must not run when a pool thread ends and drops it.
        _threadState = Py.GIL();
        GC.SuppressFinalize(_threadState);
        PythonEngine.BeginAllowThreads();
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
