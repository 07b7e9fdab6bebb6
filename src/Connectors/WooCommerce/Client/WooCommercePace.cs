using System.Diagnostics;
using System.Threading.RateLimiting;
using Integration.Workflows.Telemetry;

namespace Integration.Connectors.WooCommerce.Client;

/// <summary>
/// The polite pace of one store: at most <c>RequestsPerSecond</c> requests started per second (a token bucket that
/// refills continuously, with a burst of one second's worth) and at most <c>MaxConcurrentRequests</c> in flight. Each
/// attempt, retries included, waits for its turn; nothing is refused. A turn that had to wait is reported as a
/// rate-limit wait of the store.
/// </summary>
public sealed class WooCommercePace : IDisposable
{
    private readonly TokenBucketRateLimiter _rate;
    private readonly ConcurrencyLimiter _concurrency;
    private readonly string _store;

    public WooCommercePace(double requestsPerSecond, int maxConcurrentRequests, string store = "")
    {
        _store = store;
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
        // Tried without waiting first, so only a turn that really waited counts as one.
        var startedAt = Stopwatch.GetTimestamp();
        var waited = false;
        var slot = _concurrency.AttemptAcquire(1);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            waited = true;
            slot = await _concurrency.AcquireAsync(1, cancellationToken);
        }

        try
        {
            var token = _rate.AttemptAcquire(1);
            if (!token.IsAcquired)
            {
                token.Dispose();
                waited = true;
                token = await _rate.AcquireAsync(1, cancellationToken);
            }

            using (token)
            {
                if (!slot.IsAcquired || !token.IsAcquired)
                {
                    throw new InvalidOperationException("The WooCommerce pace refused a request; its queue is unbounded, so this is a bug.");
                }
            }

            if (waited)
            {
                ConnectorTelemetry.RateLimited(WooCommerceClient.Connector, _store, "pace", Stopwatch.GetElapsedTime(startedAt));
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
