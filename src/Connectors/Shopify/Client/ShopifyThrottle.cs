using System.Collections.Concurrent;
using Integration.Workflows.Telemetry;

namespace Integration.Connectors.Shopify.Client;

/// <summary>
/// A store's cost bucket as this host sees it: the last <c>throttleStatus</c> Shopify reported, refilled at its restore
/// rate since, less the points of requests still in flight. A request waits until the bucket holds its estimated cost
/// (the <c>requestedQueryCost</c> the same operation had last time), so a steady stream is never throttled. Waits are
/// reported as rate-limit waits of <paramref name="store"/>.
/// </summary>
public sealed class ShopifyThrottle(TimeProvider time, string store = "")
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<string, double> _costByOperation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _probes = new(StringComparer.Ordinal);
    private bool _known;
    private double _maximum;
    private double _available;
    private double _restoreRate;
    private long _observedAt;
    private double _inFlight;

    /// <summary>How long requests waited for points in all, for figures.</summary>
    public TimeSpan Waited { get; private set; }

    /// <summary>
    /// The most a single query may cost (Shopify refuses more with MAX_COST_EXCEEDED): what an operation never seen and
    /// given no guess is taken to cost, so its first call cannot overdraw a bucket other calls keep nearly empty.
    /// </summary>
    public const double SingleQueryMaximum = 1000;

    /// <summary>The estimated cost of an operation: what it asked for last time, else the caller's guess, else <see cref="SingleQueryMaximum"/>.</summary>
    public double EstimateOf(string operation, double? fallback = null) =>
        _costByOperation.TryGetValue(operation, out var cost) ? cost : fallback ?? SingleQueryMaximum;

    /// <summary>
    /// <see cref="AcquireAsync(double, CancellationToken)"/> for an operation at its estimated cost. While an operation's
    /// cost is not known yet, one request of it goes first and the others wait for its answer: a burst of first calls
    /// at a low guess (say, price pushes of many items at once) would overdraw the bucket and meet 429s. Release it with
    /// <c>probe</c> as given.
    /// </summary>
    public async ValueTask<(double Reserved, bool Probe)> AcquireAsync(string operation, double? fallback, CancellationToken cancellationToken)
    {
        var probe = false;
        while (!_costByOperation.ContainsKey(operation))
        {
            Task first;
            lock (_gate)
            {
                if (!_probes.TryGetValue(operation, out var running))
                {
                    _probes[operation] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    probe = true;
                    break;
                }

                first = running.Task;
            }

            await first.WaitAsync(cancellationToken);
        }

        try
        {
            return (await AcquireAsync(EstimateOf(operation, fallback), cancellationToken), probe);
        }
        catch when (probe)
        {
            EndProbe(operation);
            throw;
        }
    }

    /// <summary>Waits until the bucket holds <paramref name="cost"/> points, then reserves them until the answer.</summary>
    public async ValueTask<double> AcquireAsync(double cost, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                if (!_known || _restoreRate <= 0 || Math.Min(cost, _maximum) <= AvailableNow() - _inFlight)
                {
                    _inFlight += cost;
                    break;
                }

                wait = TimeSpan.FromSeconds((Math.Min(cost, _maximum) - (AvailableNow() - _inFlight)) / _restoreRate);
            }

            wait = wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
            Waited += wait;
            waited += wait;
            await Task.Delay(wait, time, cancellationToken);
        }

        if (waited > TimeSpan.Zero)
        {
            ConnectorTelemetry.RateLimited(ShopifyAdminClient.Connector, store, "bucket", waited);
        }

        return cost;
    }

    /// <summary>The answer came: frees the reservation and takes Shopify's figures (when it sent any) as the truth.</summary>
    public void Release(double reserved, string operation, QueryCost? cost, bool probe)
    {
        Release(reserved, operation, cost);
        if (probe)
        {
            EndProbe(operation);
        }
    }

    /// <summary>The answer came: frees the reservation and takes Shopify's figures (when it sent any) as the truth.</summary>
    public void Release(double reserved, string operation, QueryCost? cost)
    {
        lock (_gate)
        {
            _inFlight = Math.Max(0, _inFlight - reserved);
            if (cost is null)
            {
                return;
            }

            // Answers may arrive out of order: one the store computed before it charged another request reports more
            // points than the bucket holds by now. Since its last figures the bucket can only have refilled (as
            // projected) less what it charged, so the lower of the two is the truth.
            var projected = _known ? AvailableNow() : double.MaxValue;
            _known = cost.RestoreRate > 0 && cost.MaximumAvailable > 0;
            _maximum = cost.MaximumAvailable;
            _restoreRate = cost.RestoreRate;
            _available = Math.Min(cost.CurrentlyAvailable, projected);
            _observedAt = time.GetTimestamp();
            if (cost.RequestedQueryCost > 0)
            {
                _costByOperation[operation] = cost.RequestedQueryCost;
            }
        }
    }

    /// <summary>Time until the bucket holds <paramref name="cost"/> points, as the last figures say (for a throttled retry).</summary>
    public TimeSpan TimeUntil(double cost)
    {
        lock (_gate)
        {
            if (!_known || _restoreRate <= 0)
            {
                return TimeSpan.FromSeconds(1);
            }

            var missing = Math.Min(cost, _maximum) - (AvailableNow() - _inFlight);
            return missing <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(missing / _restoreRate);
        }
    }

    // The first request of an operation answered (or failed): the ones waiting go on, or the next becomes the probe.
    private void EndProbe(string operation)
    {
        TaskCompletionSource? done;
        lock (_gate)
        {
            _probes.Remove(operation, out done);
        }

        done?.TrySetResult();
    }

    private double AvailableNow() =>
        Math.Min(_maximum, _available + (_restoreRate * time.GetElapsedTime(_observedAt).TotalSeconds));
}
