namespace Integration.Connectors.Eta.Portal;

/// <summary>A submission as the portal sees it now (InProgress, Valid, Invalid...), with every receipt of every page.</summary>
public sealed record EtaSubmissionStatus(string SubmissionId, string Status, IReadOnlyList<EtaReceiptStatus> Receipts);

/// <summary>One receipt's validation state (Submitted, Valid, Invalid, Cancelled) and the errors that made it Invalid.</summary>
public sealed record EtaReceiptStatus(string Uuid, string? ReceiptNumber, string Status, string? LongId, string? SubmissionId, IReadOnlyList<EtaError> Errors);
