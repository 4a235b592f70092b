namespace Hub.Delivery.Chain;

/// <summary>
/// A durable target journals each item before it is queued (the order of appends is the queue's order); the item's
/// message is accepted once its record is on disk. Should the write fail, the ticket stays open and the target accepts
/// it on delivery instead.
/// </summary>
internal static class JournalAppend
{
    public static QueuedItem Append(TargetJournal journal, QueuedItem queued)
    {
        var (sequence, durable) = journal.Append(queued.Item);
        if (queued.Ticket is { } ticket)
        {
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

        return queued with { JournalSequence = sequence };
    }
}
