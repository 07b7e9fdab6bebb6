using System.Threading.RateLimiting;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// The polite pace of one store: at most <c>RequestsPerSecond</c> requests started per second (a token bucket that
/// refills continuously, with a burst of one second's worth) and at most <c>MaxConcurrentRequests</c> in flight. Each
/// attempt, retries included, waits for its turn; nothing is refused.
/// </summary>
public sealed class WooCommercePace : IDisposable
{
    private readonly TokenBucketRateLimiter _rate;
    private readonly ConcurrencyLimiter _concurrency;

    public WooCommercePace(double requestsPerSecond, int maxConcurrentRequests)
    {
        // Refill in small steps so a slow pace (0.5/s) still spreads requests evenly.
        var period = TimeSpan.FromSeconds(Math.Max(1 / requestsPerSecond, 0.01));
        _rate = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Floor(requestsPerSecond)),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = period,
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = maxConcurrentRequests,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        RequestsPerSecond = requestsPerSecond;
        MaxConcurrentRequests = maxConcurrentRequests;
    }

    public double RequestsPerSecond { get; }

    public int MaxConcurrentRequests { get; }

    /// <summary>Waits for a slot and a token; dispose the lease when the request has ended.</summary>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        var slot = await _concurrency.AcquireAsync(1, cancellationToken);
        try
        {
            using var token = await _rate.AcquireAsync(1, cancellationToken);
            if (!slot.IsAcquired || !token.IsAcquired)
            {
                throw new InvalidOperationException("The WooCommerce pace refused a request; its queue is unbounded, so this is a bug.");
            }

            return slot;
        }
        catch
        {
            slot.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _rate.Dispose();
        _concurrency.Dispose();
    }
}
