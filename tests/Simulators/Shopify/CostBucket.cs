namespace Integration.Simulators.Shopify;

/// <summary>
/// Shopify's leaky bucket for one app and shop: a query may run when the bucket holds its requested cost; that much is
/// taken, and the difference to the actual cost is given back after it ran. Points come back at the restore rate.
/// </summary>
internal sealed class CostBucket(double size, double restoreRate, TimeProvider time)
{
    private readonly Lock _gate = new();
    private double _available = double.MaxValue; // full: the first refill caps it at the size
    private DateTimeOffset _at = time.GetUtcNow();

    public double Size => size;

    public double RestoreRate => restoreRate;

    public double Available
    {
        get
        {
            lock (_gate)
            {
                Refill();
                return _available;
            }
        }
    }

    /// <summary>Takes <paramref name="cost"/> points, or says how many there are when it cannot.</summary>
    public bool TryTake(double cost, out double available)
    {
        lock (_gate)
        {
            Refill();
            available = _available;
            if (cost > _available)
            {
                return false;
            }

            _available -= cost;
            available = _available;
            return true;
        }
    }

    public double Refund(double points)
    {
        lock (_gate)
        {
            Refill();
            _available = Math.Min(size, _available + points);
            return _available;
        }
    }

    private void Refill()
    {
        var now = time.GetUtcNow();
        _available = Math.Min(size, _available + (restoreRate * Math.Max(0, (now - _at).TotalSeconds)));
        _at = now;
    }
}
