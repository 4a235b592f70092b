namespace Hub.Delivery;

/// <summary><c>when_full</c>: what a failing durable target does when its journal holds <c>max_journal_bytes</c>.</summary>
public enum JournalFull
{
    /// <summary><c>dead_letter</c> (the default): the oldest item goes to the dead letters, so one dead service cannot stall the other routes.</summary>
    DeadLetter,

    /// <summary><c>block</c>: new items wait (the route stops taking messages; the broker's persistent session holds them).</summary>
    Block,
}
