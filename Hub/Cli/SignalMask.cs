using System.Runtime.InteropServices;

namespace Hub.Cli;

/// <summary>
/// A process inherits its parent's blocked-signal mask across fork and exec. Started by a parent thread that had
/// SIGHUP blocked, the hub would never see SIGHUP (it stays pending): reloads would silently not happen. So
/// <c>hub run</c> unblocks the signals it handles on its main thread, which then takes them.
/// </summary>
internal static class SignalMask
{
    private const int SigUnblock = 1; // Linux: SIG_BLOCK 0, SIG_UNBLOCK 1, SIG_SETMASK 2

    public static void UnblockHandledSignals()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // sigset_t is 1024 bits on Linux; signal N is bit N-1. SIGHUP 1, SIGINT 2, SIGTERM 15.
        var set = new ulong[16];
        set[0] = (1UL << (1 - 1)) | (1UL << (2 - 1)) | (1UL << (15 - 1));
        _ = PthreadSigmask(SigUnblock, set, IntPtr.Zero);
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which this project does not allow; this call marshals one blittable array.
    [DllImport("libc", EntryPoint = "pthread_sigmask")]
    private static extern int PthreadSigmask(int how, [In] ulong[] set, IntPtr oldSet);
#pragma warning restore SYSLIB1054
}
