namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// What a receipt is built from. Stored as JSON beside the receipt so a correction rebuilds the same receipt;
/// deserializes with <c>JsonSerializerDefaults.Web</c>.
/// </summary>
public sealed record ReceiptSource(ReceiptDocument Document, ReceiptBuyer? Buyer = null, string? OrderName = null, string? PaymentMethod = null);
