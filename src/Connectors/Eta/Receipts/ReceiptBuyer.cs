namespace Integration.Connectors.Eta.Receipts;

/// <summary>The receipt's buyer: <c>P</c> person (the default), <c>B</c> business, <c>F</c> foreigner.</summary>
public sealed record ReceiptBuyer(string? Type = null, string? Id = null, string? Name = null, string? MobileNumber = null, string? PaymentNumber = null);
