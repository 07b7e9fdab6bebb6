namespace Integration.Connectors.WooCommerce.Refunds;

/// <summary>
/// What one WooCommerce refund credits in the ERP: the order lines that came back (the store's line id and quantity),
/// the money refunded without goods (each on its income account with its tax) and whether the store put the goods
/// back in stock. <see cref="RefundId"/> is the refund's own id, the credit note's business key with store and order.
/// </summary>
public sealed record RefundCredit(
    long RefundId, decimal Amount, string Reason, string? PostingDate, IReadOnlyList<RefundCreditLine> Lines,
    IReadOnlyList<RefundCreditAmount> Amounts, bool Restock, bool RestOfOrder);

/// <summary>
/// An order line (product, shipping or fee) refunded as a whole share: the store's line id and how many; for a product
/// line, how many units of the line the store has restocked in all, over all its refunds (<c>_restock_refunded_items</c>).
/// </summary>
public sealed record RefundCreditLine(string SourceLineId, decimal Qty, decimal? RestockedInStore = null);

/// <summary>
/// Money refunded without goods: net <see cref="Amount"/> and its <see cref="Tax"/> (or, with no tax known, an amount
/// including tax at <see cref="TaxRate"/>, or with <see cref="TaxAsInvoiced"/> shared over the invoice's rates as what is left
/// of the sale at each). <see cref="Beyond"/>: the refund's money above everything it names (the part an order's overpayment, an
/// edit that took units off after payment, pays back first).
/// </summary>
public sealed record RefundCreditAmount(
    decimal Amount, string IncomeAccount, string Description, decimal? Tax = null, decimal? TaxRate = null, bool AmountIncludesTax = false, bool Beyond = false,
    bool TaxAsInvoiced = false);
