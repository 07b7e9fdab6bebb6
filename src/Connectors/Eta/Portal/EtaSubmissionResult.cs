namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The synchronous answer to a submission: its id and which receipts passed the first checks. Accepted is not Valid:
/// validation goes on asynchronously (<see cref="EtaPortalClient.GetSubmissionAsync"/>).
/// </summary>
public sealed record EtaSubmissionResult(string SubmissionId, IReadOnlyList<EtaAcceptedReceipt> Accepted, IReadOnlyList<EtaRejectedReceipt> Rejected);

/// <summary>A receipt the portal took for validation.</summary>
public sealed record EtaAcceptedReceipt(string Uuid, string? LongId, string? ReceiptNumber);

/// <summary>A receipt the portal refused at once, with one error per detail it gave.</summary>
public sealed record EtaRejectedReceipt(string Uuid, string? ReceiptNumber, IReadOnlyList<EtaError> Errors)
{
    /// <summary>Refused because the portal already holds a receipt of this uuid (a send whose answer was lost): it is no refusal.</summary>
    public bool AlreadyHeld => Errors.Any(e => string.Equals(e.Code, "DuplicateReceipt", StringComparison.OrdinalIgnoreCase));
}
