namespace Integration.Erp.Stock;

/// <summary>
/// Moving-average and FIFO valuation: what a movement does to the stock of an item in a warehouse and to its value.
/// The value change is rounded to the company currency once, here; an issue that empties the stock takes exactly the
/// value that is left, so no rounding residue stays behind.
/// </summary>
public static class Valuation
{
    public const string MovingAverage = "Moving Average";
    public const string Fifo = "FIFO";

    /// <summary>Receipt: <paramref name="qty"/> &gt; 0 coming in at <paramref name="rate"/>.</summary>
    public static (StockState After, decimal ValueChange) Receive(StockState before, decimal qty, decimal rate, string method, int precision)
    {
        var valueChange = Money.Round(qty * rate, precision);
        var qtyAfter = before.Qty + qty;
        var valueAfter = before.Value + valueChange;
        if (method == Fifo)
        {
            var lots = before.Lots.ToList();
            var incoming = qty;
            // Incoming stock first fills what was issued without being there.
            while (incoming > 0 && lots.Count > 0 && lots[0].Qty < 0)
            {
                var owed = -lots[0].Qty;
                var settled = Math.Min(owed, incoming);
                incoming -= settled;
                lots[0] = lots[0] with { Qty = lots[0].Qty + settled };
                if (lots[0].Qty == 0)
                {
                    lots.RemoveAt(0);
                }
            }

            if (incoming > 0)
            {
                lots.Add(new StockLot(incoming, rate));
            }

            return (new StockState(qtyAfter, valueAfter, Rate(qtyAfter, valueAfter, rate), lots), valueChange);
        }

        return (new StockState(qtyAfter, valueAfter, Rate(qtyAfter, valueAfter, rate), []), valueChange);
    }

    /// <summary>Issue: <paramref name="qty"/> &gt; 0 going out at the valuation of what is there.</summary>
    public static (StockState After, decimal ValueChange) Issue(StockState before, decimal qty, string method, int precision)
    {
        var qtyAfter = before.Qty - qty;
        if (method == Fifo)
        {
            var lots = before.Lots.ToList();
            var needed = qty;
            var consumed = 0m;
            var lastRate = before.Rate;
            while (needed > 0 && lots.Count > 0 && lots[0].Qty > 0)
            {
                var take = Math.Min(needed, lots[0].Qty);
                consumed += take * lots[0].Rate;
                lastRate = lots[0].Rate;
                needed -= take;
                lots[0] = lots[0] with { Qty = lots[0].Qty - take };
                if (lots[0].Qty == 0)
                {
                    lots.RemoveAt(0);
                }
            }

            if (needed > 0)
            {
                // Allowed negative stock: what was not there goes out at the last known rate and is owed back.
                consumed += needed * lastRate;
                lots.Insert(0, new StockLot(-needed, lastRate));
            }

            var change = qtyAfter == 0 ? -before.Value : -Money.Round(consumed, precision);
            var valueAfter = before.Value + change;
            return (new StockState(qtyAfter, valueAfter, Rate(qtyAfter, valueAfter, lastRate), lots), change);
        }

        var valueChange = qtyAfter == 0 ? -before.Value : -Money.Round(qty * before.Rate, precision);
        return (new StockState(qtyAfter, before.Value + valueChange, before.Rate, []), valueChange);
    }

    /// <summary>Reconciliation: the counted quantity at the given rate replaces what the books said.</summary>
    public static (StockState After, decimal ValueChange) Reconcile(StockState before, decimal qty, decimal rate, string method, int precision)
    {
        var value = Money.Round(qty * rate, precision);
        var lots = method == Fifo && qty > 0 ? new[] { new StockLot(qty, rate) } : [];
        return (new StockState(qty, value, rate, lots), value - before.Value);
    }

    private static decimal Rate(decimal qty, decimal value, decimal fallback) => qty > 0 ? Math.Round(value / qty, 9) : fallback;
}
