namespace Integration.Connectors.Eta.Receipts;

/// <summary>
/// The header values the issuer decides (identity and the device chain); the builder writes them in their places.
/// <c>PreviousUuid</c> is <c>""</c> for a device's first receipt; <c>ReferenceUuid</c> (the original sale's uuid) is
/// required on returns; <c>ReferenceOldUuid</c> is the Invalid receipt this one corrects.
/// </summary>
public sealed record ReceiptHeaderValues(DateTimeOffset DateTimeIssued, string ReceiptNumber, string PreviousUuid, string? ReferenceUuid = null, string? ReferenceOldUuid = null);
