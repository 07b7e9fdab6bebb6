using System.Text.Json.Nodes;

namespace Integration.Connectors.Eta.Issuing;

/// <summary>
/// One receipt as the host keeps it: where it sits on its device's chain, what it was issued for, and how far it got
/// with the portal (Draft, Submitting, Submitted, Valid, Invalid).
/// </summary>
public sealed record EtaReceipt(
    long Id, string Device, long ChainSeq, string Company, long DocumentId, string DocumentNo, string DocumentType, string ReceiptType,
    string ReceiptNumber, string Uuid, string PreviousUuid, string? ReferenceUuid, string? ReferenceOldUuid, long? CorrectsId, long? CorrectedById,
    string Store, DateTimeOffset DateTimeIssued, decimal TotalAmount, string Currency, string State, string? SubmissionId, string? LongId,
    IReadOnlyList<EtaReceiptError> Errors, int Attempts, DateTimeOffset? NextAttemptAt, string? LastError, DateTimeOffset CreatedAt,
    DateTimeOffset? SubmittedAt, DateTimeOffset? DecidedAt, string Qr)
{
    /// <summary>The receipt's JSON exactly as hashed and sent; filled when one receipt is read on its own.</summary>
    public JsonNode? Body { get; init; }

    /// <summary>Invalid because the portal refused it in its answer to the submission: it never held it, so it is no link of the chain.</summary>
    public bool RefusedOnArrival { get; init; }
}

/// <summary>One of ETA's reasons for refusing a receipt.</summary>
public sealed record EtaReceiptError(string? PropertyPath, string? Code, string Message);
