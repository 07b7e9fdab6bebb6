using Microsoft.Extensions.Options;

namespace Integration.Workflows.Triggers;

/// <summary>
/// Tells this host's inbox dispatcher that deliveries were just committed, so idle loops claim them at once instead of
/// at their next poll. Deliveries another host stored (or a reconciliation fed) are still found by the poll: this is a
/// shortcut for latency, never the only way in.
/// </summary>
public sealed class InboxArrivals : IDisposable
{
    private readonly int _batchSize;
    private readonly int _loops;

    // Wake-ups not yet taken, at most one per loop: a loop that is busy when deliveries arrive finds them on its next
    // claim anyway, so more would only cost empty polls.
    private readonly SemaphoreSlim _wakeUps;

    public InboxArrivals(IOptions<InboxDispatchOptions>? options = null)
    {
        var value = options?.Value ?? new InboxDispatchOptions();
        _batchSize = value.BatchSize;
        _loops = value.Loops;
        _wakeUps = new SemaphoreSlim(0, _loops);
    }

    /// <summary>Called after <paramref name="deliveries"/> new deliveries were committed: wakes a loop per batch of them.</summary>
    public void Arrived(int deliveries)
    {
        var wanted = Math.Min((deliveries + _batchSize - 1) / _batchSize, _loops - _wakeUps.CurrentCount);
        if (wanted <= 0)
        {
            return;
        }

        try
        {
            _wakeUps.Release(wanted);
        }
        catch (SemaphoreFullException)
        {
            // Another arrival filled it in between: every loop looks again soon anyway.
        }
    }

    public void Dispose() => _wakeUps.Dispose();

    /// <summary>Waits for an arrival or for <paramref name="idle"/> to pass, whichever comes first.</summary>
    /// <returns>Whether an arrival woke it.</returns>
    public Task<bool> WaitAsync(TimeSpan idle, CancellationToken cancellationToken) => _wakeUps.WaitAsync(idle, cancellationToken);
}
