namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The synchronous answer to a submission: its id and which receipts passed the first checks. Accepted is not Valid:
/// validation goes on asynchronously (<see cref="EtaPortalClient.GetSubmissionAsync"/>).
/// </summary>
public sealed record EtaSubmissionResult(string SubmissionId, IReadOnlyList<EtaAcceptedReceipt> Accepted, IReadOnlyList<EtaRejectedReceipt> Rejected);

/// <summary>A receipt the portal took for validation.</summary>
public sealed record EtaAcceptedReceipt(string Uuid, string? LongId, string? ReceiptNumber);

/// <summary>A receipt the portal refused at once, with one error per detail it gave, and the code above them (<c>error.code</c>).</summary>
public sealed record EtaRejectedReceipt(string Uuid, string? ReceiptNumber, IReadOnlyList<EtaError> Errors, string? Code = null)
{
    /// <summary>
    /// Refused because the portal already holds a receipt of this uuid (a send whose answer was lost): it is no refusal.
    /// Said by the top-level code or by a detail's, since the errors list the details when there are any.
    /// </summary>
    public bool AlreadyHeld =>
        string.Equals(Code, "DuplicateReceipt", StringComparison.OrdinalIgnoreCase)
        || Errors.Any(e => string.Equals(e.Code, "DuplicateReceipt", StringComparison.OrdinalIgnoreCase));
}
