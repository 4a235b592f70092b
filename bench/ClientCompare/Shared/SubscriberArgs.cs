namespace ClientCompare;

/// <summary><c>PORT QOS COUNT OUTFILE CLIENTID [IDLE_SECONDS]</c>, the same for every subscriber in the comparison.</summary>
internal sealed record SubscriberArgs(int Port, int Qos, int Count, string OutFile, string ClientId, TimeSpan Idle)
{
    public const string Topic = "bench/compare";

    public static SubscriberArgs Parse(string[] args)
    {
        if (args.Length is < 5 or > 6)
        {
            throw new ArgumentException("usage: PORT QOS COUNT OUTFILE CLIENTID [IDLE_SECONDS]");
        }

        var idle = args.Length == 6 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 30;
        return new SubscriberArgs(int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3], args[4], TimeSpan.FromSeconds(idle));
    }

    /// <summary>Waits until every message arrived, or until none arrived for <see cref="Idle"/>; exit code 0 only when all arrived.</summary>
    public async Task<int> WaitAsync(LineHandler handler)
    {
        var seen = -1;
        while (!handler.Done.IsCompleted)
        {
            await Task.WhenAny(handler.Done, Task.Delay(Idle)).ConfigureAwait(false);
            if (handler.Count == seen)
            {
                break;
            }

            seen = handler.Count;
        }

        // The script times a run from the publisher's first byte to this line (a process's exit would add the
        // runtime's shutdown to the .NET subscribers only).
        Console.WriteLine($"done {handler.FinishedAtUnixNanoseconds}");
        Console.Error.WriteLine($"{ClientId}: received {handler.Count} of {Count}");
        return handler.Count == Count ? 0 : 1;
    }
}
