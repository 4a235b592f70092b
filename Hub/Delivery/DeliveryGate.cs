namespace Hub.Delivery;

/// <summary>
/// Lets one delivery at a time run for a target, whether the target's worker or the receiving thread (inline delivery)
/// makes it: so items reach the target in order. Entering hands out a ticket; only the current ticket's exit opens the
/// gate, so a delivery left behind (its plugin blocked the thread past the timeout, the gate was opened for the next
/// worker) cannot open it a second time when it finally returns.
/// </summary>
internal sealed class DeliveryGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);
    private readonly Lock _lock = new();
    private long _owner;
    private long _issued;

    /// <summary>Enters only if nobody is delivering.</summary>
    public bool TryEnter(out long ticket)
    {
        if (!_semaphore.Wait(0))
        {
            ticket = 0;
            return false;
        }

        ticket = Own();
        return true;
    }

    public async ValueTask<long> EnterAsync()
    {
        await _semaphore.WaitAsync().ConfigureAwait(false);
        return Own();
    }

    /// <summary>Opens the gate if <paramref name="ticket"/> still holds it; otherwise does nothing.</summary>
    public void Exit(long ticket)
    {
        lock (_lock)
        {
            if (ticket == 0 || _owner != ticket)
            {
                return;
            }

            _owner = 0;
        }

        _semaphore.Release();
    }

    public void Dispose() => _semaphore.Dispose();

    private long Own()
    {
        lock (_lock)
        {
            return _owner = ++_issued;
        }
    }
}
