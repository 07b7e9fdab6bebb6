namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// The ERP sales document a receipt is issued for (<c>DocType</c>: <c>Sales Invoice</c> or <c>Sales Return</c>): the
/// subset of the ERP API's <c>SalesDocument</c> the receipt needs, so its camelCase JSON deserializes into this record
/// without a reference to the ERP project.
/// </summary>
public sealed record ReceiptDocument(
    long Id, string Company, string DocType, string DocNo, string Customer, string Currency, decimal ExchangeRate, bool TaxesIncluded,
    decimal NetTotal, decimal TaxTotal, decimal GrandTotal, long? AgainstId, string? SourceSystem, string? SourceStore, string? SourceId,
    IReadOnlyList<ReceiptDocumentLine> Lines)
{
    public const string SalesInvoice = "Sales Invoice";

    public const string SalesReturn = "Sales Return";
}
