using System.Runtime.InteropServices;

namespace HubBench;

/// <summary>
/// The few libc calls the latency measurement needs so that neither side of it spins or polls: the publisher sleeps to an
/// absolute deadline (clock_nanosleep) and the reader blocks until the consumer's file changes (inotify).
/// </summary>
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code; these calls marshal blittable values only.
internal static class Native
{
    public const uint InModify = 0x2;
    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int InNonBlock = 0x800;
    private const int InCloseOnExec = 0x80000;
    private const short PollIn = 0x1;

    /// <summary>Sleeps until the monotonic clock reads <paramref name="nanoseconds"/> (the clock behind <see cref="System.Diagnostics.Stopwatch"/> on Linux).</summary>
    public static void SleepUntil(long nanoseconds)
    {
        var due = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
        while (clock_nanosleep(ClockMonotonic, TimerAbsoluteTime, ref due, IntPtr.Zero) == 4 /* EINTR */)
        {
        }
    }

    public static int WatchFile(string path)
    {
        var fd = inotify_init1(InNonBlock | InCloseOnExec);
        if (fd < 0 || inotify_add_watch(fd, path, InModify) < 0)
        {
            throw new IOException($"inotify on {path} failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return fd;
    }

    /// <summary>Blocks until the watched file changed or <paramref name="timeoutMs"/> passed; drains the events. True when it changed.</summary>
    public static bool WaitForChange(int fd, byte[] buffer, int timeoutMs)
    {
        var poll = new PollFd { Fd = fd, Events = PollIn };
        if (Poll(ref poll, 1, timeoutMs) <= 0)
        {
            return false;
        }

        while (read(fd, buffer, buffer.Length) > 0)
        {
        }

        return true;
    }

    public static void CloseFile(int fd) => close(fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int clock_nanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_init1(int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int inotify_add_watch(int fd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mask);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll(ref PollFd fds, nuint count, int timeoutMs);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);
}
