namespace Hub.Delivery.Chain;

/// <summary>
/// A durable target journals each item before it is queued (the order of appends is the queue's order); the item's
/// message is accepted once its record is on disk. Should the write fail, the ticket stays open and the target accepts
/// it on delivery instead (the journal holds such an item in memory): nothing is acknowledged that was not written.
/// </summary>
internal static class JournalAppend
{
    public static void AcceptWhenDurable(QueuedItem journaled, Task durable)
    {
        if (journaled.Ticket is not { } ticket)
        {
            return;
        }

        if (durable.IsCompletedSuccessfully)
        {
            ticket.Accept();
        }
        else
        {
            _ = durable.ContinueWith(static (t, state) => ((AcceptanceTicket)state!).Accept(), ticket, CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
