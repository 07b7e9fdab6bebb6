namespace Integration.Erp.Sales;

/// <summary>
/// How a credit note's total is paid back: all from one account, or, when the money went back through several (a gift
/// card and a card), split in the proportions of their shares, each part to the currency's precision and the units of
/// rounding on the share of the refund's own account (else the largest). The parts always add up to the total.
/// </summary>
internal static class RefundParts
{
    public static IReadOnlyList<(string Account, decimal Amount)> Of(string account, IReadOnlyList<PaymentInput>? shares, decimal total, int precision)
    {
        var given = (shares ?? []).Where(s => s.Amount > 0 && !string.IsNullOrWhiteSpace(s.Account))
            .GroupBy(s => s.Account, StringComparer.Ordinal).Select(g => (Account: g.Key, Weight: g.Sum(s => s.Amount))).ToList();
        if (given.Count < 2)
        {
            return [(account, total)];
        }

        var weights = given.Sum(g => g.Weight);
        var parts = given.Select(g => (g.Account, Amount: Money.Round(total * g.Weight / weights, precision))).ToList();
        var rest = given.FindIndex(g => g.Account == account) is var own and >= 0 ? own : given.IndexOf(given.MaxBy(g => g.Weight));
        parts[rest] = (parts[rest].Account, parts[rest].Amount + total - parts.Sum(p => p.Amount));
        // The refund's own account first: the credit note remembers it.
        return [parts[rest], .. parts.Where((_, i) => i != rest)];
    }
}
