namespace Integration.Erp.Sales;

/// <summary>
/// A sales line as a store or a person enters it. A line without SKU is a charge (shipping) on its own income account.
/// <see cref="TaxAmount"/>, when given, is the tax the store charged (a store converting from another currency rounds
/// it its own way); otherwise it is the rate applied to the net.
/// </summary>
public sealed record SalesLineInput(
    string? Sku, decimal Qty, decimal Rate, decimal DiscountAmount = 0, decimal? TaxRate = null, string? IncomeAccount = null,
    string? CostCenter = null, string? Warehouse = null, string? Description = null, string? SourceLineId = null, decimal? TaxAmount = null);

/// <summary>A priced line: gross after discounts, net of tax, and tax, each rounded to the currency.</summary>
public sealed record PricedLine(int LineNo, SalesLineInput Input, decimal Discount, decimal Net, decimal Tax, decimal TaxRate)
{
    public decimal Total => Net + Tax;
}

/// <summary>
/// Prices sales lines: line discounts, then the document discount spread over the lines in proportion to their
/// amounts (to the currency by largest remainder, never below nothing), then tax per line (Egypt VAT 14 % unless the line says
/// otherwise), with prices that include tax or exclude it.
/// </summary>
public static class SalesPricing
{
    public const decimal EgyptVat = 14m;

    // Egypt's VAT rates other than none: standard and reduced.
    private static readonly decimal[] VatRates = [EgyptVat, 5m];

    public static IReadOnlyList<PricedLine> Price(IReadOnlyList<SalesLineInput> lines, decimal documentDiscount, bool taxesIncluded, int precision, decimal defaultTaxRate = EgyptVat)
    {
        // Amounts given finer than the currency (a tax of 14.005) are taken to it: the ledger rounds each line, and the
        // document's totals would part from its receivable by a fraction of a cent.
        documentDiscount = Money.Round(documentDiscount, precision);
        var amounts = lines.Select(l => Money.Round((l.Qty * l.Rate) - l.DiscountAmount, precision)).ToList();
        var shares = DocumentDiscountShares(documentDiscount, amounts, precision);

        var priced = new List<PricedLine>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var gross = amounts[i] - shares[i];
            var rate = line.TaxRate ?? defaultTaxRate;
            var taxGiven = line.TaxAmount is { } stated ? Money.Round(stated, precision) : (decimal?)null;
            var net = taxGiven is { } charged ? (taxesIncluded ? gross - charged : gross)
                : taxesIncluded ? Money.Round(gross / (1 + (rate / 100m)), precision) : gross;
            var tax = taxGiven ?? (taxesIncluded ? gross - net : Money.Round(net * rate / 100m, precision));
            priced.Add(new PricedLine(i + 1, line, line.DiscountAmount + shares[i], net, tax, rate));
        }

        return priced;
    }

    // A discount the lines can take is shared by largest remainder, so no line goes below nothing (a free gift last on
    // an order took the rounding remainder and a net of -0.01, which no credit note could give back). A surcharge, or a
    // discount beyond the lines, is shared in proportion with the last line taking the remainder, as before.
    private static decimal[] DocumentDiscountShares(decimal documentDiscount, List<decimal> amounts, int precision)
    {
        if (documentDiscount > 0 && amounts.TrueForAll(a => a >= 0) && documentDiscount <= amounts.Sum())
        {
            return Spread(documentDiscount, amounts, precision);
        }

        var total = amounts.Sum();
        var shares = new decimal[amounts.Count];
        var given = 0m;
        for (var i = 0; i < amounts.Count; i++)
        {
            shares[i] = i == amounts.Count - 1 ? documentDiscount - given : total == 0 ? 0 : Money.Round(documentDiscount * amounts[i] / total, precision);
            given += shares[i];
        }

        return shares;
    }

    /// <summary>
    /// The VAT rate in force behind a line's stated rate: a store that works the rate out from rounded amounts gives
    /// 14.03 or 13.64 for 14; the whole rate within a tenth, else Egypt's rate (14, 5) that gives the line's tax to the
    /// currency's unit, else the rate as it is; none without tax.
    /// </summary>
    public static decimal StatedRate(decimal rate, decimal net, decimal tax, int precision)
    {
        if (tax == 0)
        {
            return 0m;
        }

        var whole = Math.Round(rate, MidpointRounding.AwayFromZero);
        if (Math.Abs(rate - whole) <= 0.1m)
        {
            return whole;
        }

        var unit = 1m / (decimal)Math.Pow(10, precision);
        return VatRates.Where(v => Math.Abs(Money.Round(net * v / 100m, precision) - tax) <= unit).Select(v => (decimal?)v).FirstOrDefault() ?? rate;
    }

    /// <summary>
    /// <paramref name="amount"/> shared out over values in proportion to them, to the currency's precision, never more
    /// than a value holds (nothing on a value of 0); the shares add up to the amount, or to the values when they hold less.
    /// </summary>
    public static decimal[] Spread(decimal amount, IReadOnlyList<decimal> values, int precision)
    {
        var shares = new decimal[values.Count];
        var whole = values.Where(v => v > 0).Sum();
        if (amount <= 0 || whole <= 0)
        {
            return shares;
        }

        // Largest remainder: each share rounded down to the unit, then the units left one by one to the shares that lost
        // the most, never past a value (there is always room: the amount is at most the values together).
        var unit = 1m / (decimal)Math.Pow(10, precision);
        amount = Math.Min(amount, whole);
        var exact = values.Select(v => v > 0 ? amount * v / whole : 0m).ToArray();
        for (var i = 0; i < values.Count; i++)
        {
            shares[i] = Math.Min(values[i], Math.Floor(exact[i] / unit) * unit);
        }

        var order = Enumerable.Range(0, values.Count).Where(i => values[i] > 0).OrderByDescending(i => exact[i] - shares[i]).ThenByDescending(i => values[i]).ToList();
        for (var rest = amount - shares.Sum(); rest >= unit;)
        {
            var given = false;
            foreach (var i in order.Where(i => shares[i] + unit <= values[i]))
            {
                shares[i] += unit;
                rest -= unit;
                given = true;
                if (rest < unit)
                {
                    break;
                }
            }

            if (!given)
            {
                break;
            }
        }

        return shares;
    }

    /// <summary>The share of <paramref name="amount"/> for returning <paramref name="qty"/> of <paramref name="lineQty"/> after <paramref name="returnedBefore"/>; shares add up to the amount exactly.</summary>
    public static decimal ReturnShare(decimal amount, decimal lineQty, decimal returnedBefore, decimal qty, int precision) =>
        Money.Round(amount * (returnedBefore + qty) / lineQty, precision) - Money.Round(amount * returnedBefore / lineQty, precision);
}
