namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// A line of the ERP document as priced by the ERP: <see cref="NetAmount"/> is net of tax and after line and document
/// discounts. A line without SKU is a charge (shipping). <see cref="IncomeAccount"/> tells a sale from a prepayment (a gift card sold).
/// </summary>
public sealed record ReceiptDocumentLine(
    int LineNo, string? Sku, string? Description, decimal Qty, decimal Rate, decimal DiscountAmount, decimal NetAmount, decimal TaxRate, decimal TaxAmount,
    string? IncomeAccount = null);
