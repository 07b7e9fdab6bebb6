namespace Integration.Erp.Sales;

/// <summary>Where a document came from: the store's system, store and id. Documents are unique on it.</summary>
public sealed record DocumentSource(string System, string Store, string Id)
{
    /// <summary>
    /// The source of the credit note that cancels the invoice of this source: one per invoice, so cancelling twice
    /// credits once, and a late run of the order can tell it was cancelled.
    /// </summary>
    public DocumentSource Cancellation() => this with { Id = Id + "/cancel" };

    /// <summary>The source of the credit note an order's cancellation gives one of its invoices (its own, or one made again or for added units).</summary>
    public DocumentSource CancellationOf(SalesDocument invoice) => (this with { Id = invoice.SourceId ?? Id }).Cancellation();
}

/// <summary>A payment taken with the invoice (a paid web order): the account the money went to.</summary>
public sealed record PaymentInput(string Account, decimal Amount, string? Reference = null);

public sealed record SalesOrderRequest(
    string Company, string Customer, DateOnly PostingDate, IReadOnlyList<SalesLineInput> Lines, string Warehouse,
    bool TaxesIncluded = false, decimal DiscountAmount = 0, string Currency = "", decimal ExchangeRate = 1, string? CostCenter = null,
    DocumentSource? Source = null, string? Remarks = null, string? SourceVersion = null);

public sealed record SalesInvoiceRequest(
    string Company, string Customer, DateOnly PostingDate, IReadOnlyList<SalesLineInput> Lines, string? Warehouse = null,
    bool UpdateStock = true, bool TaxesIncluded = false, decimal DiscountAmount = 0, string Currency = "", decimal ExchangeRate = 1,
    string? CostCenter = null, long? SalesOrderId = null, PaymentInput? Payment = null, DocumentSource? Source = null, string? Remarks = null);

/// <summary>
/// Money received against an invoice. More than is outstanding is refused, unless <paramref name="OverpaymentAsCredit"/>:
/// then the excess stays on the customer's receivable as a credit (an order edited down after it was paid), to be paid
/// back by an overpayment refund.
/// </summary>
public sealed record PaymentRequest(
    string Company, long InvoiceId, DateOnly PostingDate, string Account, decimal Amount, DocumentSource? Source = null, string? Reference = null,
    bool OverpaymentAsCredit = false);

/// <summary>Money paid back from <paramref name="Account"/> out of what the invoice's payments exceed it by; no credit note.</summary>
public sealed record OverpaymentRefundRequest(
    string Company, long InvoiceId, DateOnly PostingDate, string Account, decimal Amount, DocumentSource? Source = null, string? Reference = null);

/// <summary>
/// What comes back: a line of the invoice (by line number, the store's line id, or SKU) and how much of it; whether it
/// goes back to stock when it says so (a damaged item does not), else as the return says.
/// </summary>
/// <remarks><see cref="Warehouse"/>: where restocked units come back to (the store location they were restocked at); the sale's line's warehouse when null.</remarks>
public sealed record ReturnLineInput(decimal Qty, int? LineNo = null, string? Sku = null, string? SourceLineId = null, bool? Restock = null, string? Warehouse = null);

/// <summary>
/// A credit note against an invoice. With <c>OffsetAmountsCredited</c> the return takes back the rest of the invoice (a
/// cancellation): what earlier credit notes gave without goods (a goodwill refund) is taken off its lines, as a
/// discount spread by their value, so the credit notes together come to the invoice rather than past it.
/// <see cref="RefundShares"/>: the money went back through several accounts (a gift card and a card): each credit
/// note's total is paid back from them in these proportions, the cents of rounding from <see cref="RefundAccount"/>'s share.
/// <see cref="MoneyBack"/>: the money the store's refund gave back, when it says; at most that much of the credit notes
/// is paid back, the rest stays on the customer's account (goods returned for an exchange: their value went to the new
/// item, not back to the buyer).
/// </summary>
public sealed record SalesReturnRequest(
    string Company, long InvoiceId, DateOnly PostingDate, IReadOnlyList<ReturnLineInput> Lines, bool Restock = true,
    string? RefundAccount = null, DocumentSource? Source = null, string? Remarks = null, IReadOnlyList<ReturnAmountInput>? Amounts = null,
    bool OffsetAmountsCredited = false, IReadOnlyList<PaymentInput>? RefundShares = null, decimal? MoneyBack = null);

public sealed record DeliveryRequest(string Company, long DocumentId, DateOnly PostingDate, string Carrier, string TrackingNo, DocumentSource? Source = null);

/// <summary>A sales document with its lines, totals, status and the GL voucher it posted (if any).</summary>
public sealed record SalesDocument(
    long Id, string Company, string DocType, string DocNo, string Customer, DateOnly PostingDate, string Status, string Currency,
    decimal ExchangeRate, bool TaxesIncluded, decimal NetTotal, decimal TaxTotal, decimal GrandTotal, decimal Outstanding, long? AgainstId,
    long? VoucherId, string? Warehouse, bool UpdateStock, string? Carrier, string? TrackingNo, string? SourceSystem, string? SourceStore,
    string? SourceId, IReadOnlyList<SalesDocumentLine> Lines, IReadOnlyList<string> Warnings, string? SourceVersion = null, string? PaymentAccount = null);

public sealed record SalesDocumentLine(
    int LineNo, string? Sku, string? Description, decimal Qty, decimal Rate, decimal DiscountAmount, decimal NetAmount, decimal TaxRate,
    decimal TaxAmount, string IncomeAccount, string? CostCenter, string? Warehouse, decimal CogsAmount, decimal ReturnedQty, string? SourceLineId = null);

/// <summary>The money of a credit note paid back (a refund that settled later) from an account.</summary>
public sealed record ReturnRefundRequest(string Company, string Account, DateOnly PostingDate);

/// <summary>
/// A payment taken for a store's order, made with its invoice: the account the money went to, the amount (null: all
/// that is outstanding) and its own source, on which it is made once; with <paramref name="OverpaymentAsCredit"/> more
/// than the invoice comes to is taken, the excess a credit on the customer's receivable.
/// </summary>
public sealed record InvoicePayment(
    string Account, decimal? Amount, DocumentSource Source, string? Reference = null, DateOnly? PostingDate = null, bool OverpaymentAsCredit = false);

/// <summary>A line of an invoiced store order as the store counts it now: the units kept (sold or refunded), the rest taken off by an edit.</summary>
public sealed record EditedLine(string SourceLineId, decimal KeptQty);

/// <summary>
/// An invoiced store order edited since: each line the store now counts fewer units of than the order's invoices sold
/// (less those credited for an edit before) has the difference credited, back to stock when restocked. InvoiceId is the
/// order's own invoice; the units of its supplementary invoices (<c>:added:N</c>) count too. A credit note's source is
/// its invoice's, suffixed <c>:edit:N</c>. With <see cref="Complete"/>, Lines name every line the order has now, and an
/// invoiced line they leave out was removed by the edit (a WooCommerce order drops a removed item; Shopify's keep theirs at 0).
/// </summary>
public sealed record EditedOffRequest(string Company, long InvoiceId, DateOnly PostingDate, IReadOnlyList<EditedLine> Lines, DocumentSource Order, bool Restock = true, bool Complete = false);

/// <summary>
/// The order's newest credit note of units edited off (made now, or before when nothing new was taken off), whether
/// any was made now, and all of them, oldest first (each one's receipt may still be due), with the invoices they credit,
/// oldest first (a return's receipt references its sale's, which may still be due too).
/// </summary>
public sealed record EditedOffPosting(SalesDocument? Document, bool Created, IReadOnlyList<SalesDocument> Notes, IReadOnlyList<SalesDocument> Invoices);

/// <summary>
/// What a store received for an order, all of it (its sales and captures, before refunds), and the account it went to:
/// the part its invoices have not been paid with yet pays for units an edit added.
/// </summary>
public sealed record ReceivedPayment(string Account, decimal Received, string? Reference = null);

/// <summary>
/// An invoiced store order edited since: each line (the order as mapped now, with its source line ids) with more units
/// than the order's invoices sold has the difference invoiced on a supplementary invoice, its source the order's
/// suffixed <c>:added:N</c>, paid out of what the store received beyond the invoices' payments, then out of the
/// customer's credit on the order (units an edit took off).
/// </summary>
public sealed record EditAddedRequest(
    string Company, long InvoiceId, DateOnly PostingDate, IReadOnlyList<SalesLineInput> Lines, DocumentSource Order, ReceivedPayment? Payment = null,
    string? CostCenter = null);

/// <summary>
/// The supplementary invoice (made now, or the latest before when nothing new was added), whether it was made now, its
/// payments made now, and all the order's supplementary invoices, oldest first (each one's receipt may still be due).
/// </summary>
public sealed record EditAddedPosting(SalesDocument? Invoice, bool Created, IReadOnlyList<SalesDocument> Payments, IReadOnlyList<SalesDocument> Invoices);
