using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Hub.Plugins.Common;

/// <summary>
/// Runs a program for a notifier (<c>execute</c>, <c>pipe</c>): no shell, arguments passed one by one,
/// the temp directory as working directory, optional bytes on standard input. On cancellation (the
/// host's timeout, shutdown) the whole process tree is killed.
/// </summary>
public static class ProgramRun
{
    /// <summary>sysexits.h <c>EX_TEMPFAIL</c>: the program asks to be tried again later.</summary>
    public const int TemporaryFailure = 75;

    /// <summary>
    /// Runs <paramref name="argv"/> to its end. Exit 0 returns; <see cref="TemporaryFailure"/> throws
    /// <see cref="TransientDeliveryException"/>; any other exit code, a program that cannot start, or
    /// one that closes its input before reading it all throws <see cref="PermanentDeliveryException"/>
    /// with the exit code and the start of standard error.
    /// </summary>
    public static async Task RunAsync(string operation, IReadOnlyList<string> argv, ReadOnlyMemory<byte>? input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(argv);
        ArgumentOutOfRangeException.ThrowIfZero(argv.Count);
        var name = Path.GetFileName(argv[0]);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in argv.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new PermanentDeliveryException($"{operation}: cannot start '{name}': {ex.Message}");
        }

        // Both outputs are read to their end, so a chatty program never blocks on a full pipe.
        var output = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
        var error = HeadAsync(process.StandardError.BaseStream);
        var inputRefused = false;
        try
        {
            if (input is { } bytes)
            {
                inputRefused = !await WriteAsync(process.StandardInput.BaseStream, bytes, cancellationToken);
            }

            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(output, error).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        var reason = Encoding.UTF8.GetString(await error).Trim();
        var detail = reason.Length == 0 ? "" : ": " + HttpDelivery.Shorten(reason);
        switch (process.ExitCode)
        {
            case 0 when inputRefused:
                throw new PermanentDeliveryException($"{operation}: '{name}' closed its input before reading the whole message");
            case 0:
                return;
            case TemporaryFailure:
                throw new TransientDeliveryException($"{operation}: '{name}' exited with {TemporaryFailure} (temporary failure){detail}");
            default:
                throw new PermanentDeliveryException($"{operation}: '{name}' exited with {process.ExitCode}{detail}");
        }
    }

    private static async Task<bool> WriteAsync(Stream stdin, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await stdin.WriteAsync(bytes, cancellationToken);
            await stdin.FlushAsync(cancellationToken);
            return true;
        }
        catch (IOException)
        {
            return false;   // EPIPE: the program exited or closed its input
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
                // Closing flushes; the same broken pipe again.
            }
        }
    }

    /// <summary>Reads a stream to its end, keeping the first 4 KiB.</summary>
    private static async Task<byte[]> HeadAsync(Stream stream)
    {
        var head = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            head.Write(buffer, 0, (int)Math.Min(read, Math.Max(0, buffer.Length - head.Length)));
        }

        return head.ToArray();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited already.
        }
    }
}
