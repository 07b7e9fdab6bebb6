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

    /// <summary>
    /// Receipt: <paramref name="qty"/> &gt; 0 coming in at <paramref name="rate"/>. Units that fill stock issued without
    /// being there (allowed negative stock) come in at the rate they went out at, so the stock's value stays its
    /// quantity times its rate (nothing left on the stock account once the quantity is back to 0); what they cost beyond
    /// that is the receipt's <c>qty x rate</c> less the value change, which the posting books as a stock adjustment.
    /// </summary>
    public static (StockState After, decimal ValueChange) Receive(StockState before, decimal qty, decimal rate, string method, int precision)
    {
        var qtyAfter = before.Qty + qty;
        if (method == Fifo)
        {
            var lots = before.Lots.ToList();
            var incoming = qty;
            var settledValue = 0m;
            // Incoming stock first fills what was issued without being there, at the rate it went out at.
            while (incoming > 0 && lots.Count > 0 && lots[0].Qty < 0)
            {
                var owed = -lots[0].Qty;
                var settled = Math.Min(owed, incoming);
                incoming -= settled;
                settledValue += settled * lots[0].Rate;
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

            var fifoChange = qtyAfter == 0 ? -before.Value : Money.Round(settledValue + (incoming * rate), precision);
            var fifoValue = before.Value + fifoChange;
            return (new StockState(qtyAfter, fifoValue, Rate(qtyAfter, fifoValue, before.Qty < 0 ? before.Rate : rate), lots), fifoChange);
        }

        if (before.Qty < 0)
        {
            var owed = Math.Min(-before.Qty, qty);
            var change = qtyAfter == 0 ? -before.Value : Money.Round((owed * before.Rate) + ((qty - owed) * rate), precision);
            var value = before.Value + change;
            return (new StockState(qtyAfter, value, Rate(qtyAfter, value, before.Rate), []), change);
        }

        var valueChange = Money.Round(qty * rate, precision);
        var valueAfter = before.Value + valueChange;
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
