namespace Integration.Erp.Sales;

/// <summary>
/// How much of a credit note's total a store's refund paid back: all of it when the store does not say what went back,
/// else no more than the money, the rest staying on the customer's account (goods returned for an exchange). A money
/// short of the total by no more than the tolerance pays it all: the store rounded a line's share another way.
/// </summary>
internal static class CreditPaidBack
{
    public static decimal Of(decimal total, decimal? money, decimal tolerance) =>
        money is not { } given || given >= total - tolerance ? total : Math.Max(0, given);

    /// <summary>A cent per line credited: how far a store's rounding of the lines' shares can differ from the ERP's.</summary>
    public static decimal Tolerance(int lines) => 0.01m * Math.Max(1, lines);
}
