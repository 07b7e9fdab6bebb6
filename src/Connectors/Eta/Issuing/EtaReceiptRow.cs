using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Connectors.Eta.Canonical;
using Integration.Connectors.Eta.Receipts;

namespace Integration.Connectors.Eta.Issuing;

/// <summary>A row of <c>eta.receipt</c> as Dapper reads it.</summary>
internal sealed record EtaReceiptRow(
    long Id, string Device, long ChainSeq, string Company, long DocumentId, string DocumentNo, string DocumentType, string ReceiptType,
    string ReceiptNumber, string Uuid, string PreviousUuid, string? ReferenceUuid, string? ReferenceOldUuid, long? CorrectsId, long? CorrectedById,
    string Store, DateTime DateTimeIssued, decimal TotalAmount, string Currency, string State, string? SubmissionId, string? LongId, string? Errors,
    int Attempts, DateTime? NextAttemptAt, string? LastError, DateTime CreatedAt, DateTime? SubmittedAt, DateTime? DecidedAt, string Rin, string Body,
    bool RefusedOnArrival)
{
    public const string Select = "SELECT " + Columns + " FROM eta.receipt r";

    /// <summary>The columns of <see cref="Select"/>, read from a relation named <c>r</c> with the table's columns.</summary>
    public const string Columns = """
        r.id, r.device, r.chain_seq AS ChainSeq, r.company, r.document_id AS DocumentId, r.document_no AS DocumentNo,
            r.document_type AS DocumentType, r.receipt_type AS ReceiptType, r.receipt_number AS ReceiptNumber, r.uuid, r.previous_uuid AS PreviousUuid,
            r.reference_uuid AS ReferenceUuid, r.reference_old_uuid AS ReferenceOldUuid, r.corrects_id AS CorrectsId,
            (SELECT c.id FROM eta.receipt c WHERE c.corrects_id = r.id) AS CorrectedById, r.store, r.date_time_issued AS DateTimeIssued,
            r.total_amount AS TotalAmount, r.currency, r.state, r.submission_id AS SubmissionId, r.long_id AS LongId, r.errors::text AS Errors,
            r.attempts, r.next_attempt_at AS NextAttemptAt, r.last_error AS LastError, r.created_at AS CreatedAt, r.submitted_at AS SubmittedAt,
            r.decided_at AS DecidedAt, (r.body::jsonb -> 'seller' ->> 'rin') AS Rin, r.body, r.refused_on_arrival AS RefusedOnArrival
        """;

    public EtaReceipt ToReceipt(string portalBaseUrl, bool withBody)
    {
        var issued = StoredTime.Utc(DateTimeIssued);
        return new EtaReceipt(Id, Device, ChainSeq, Company, DocumentId, DocumentNo, DocumentType, ReceiptType, ReceiptNumber, Uuid, PreviousUuid,
            ReferenceUuid, ReferenceOldUuid, CorrectsId, CorrectedById, Store, issued, TotalAmount, Currency, State, SubmissionId, LongId,
            Errors is null ? [] : JsonSerializer.Deserialize<List<EtaReceiptError>>(Errors, EtaJson.Options) ?? [], Attempts, StoredTime.Utc(NextAttemptAt), LastError,
            StoredTime.Utc(CreatedAt), StoredTime.Utc(SubmittedAt), StoredTime.Utc(DecidedAt), ReceiptQr.Content(portalBaseUrl, Uuid, issued, EtaAmount.Round(TotalAmount), Rin))
        {
            Body = withBody ? JsonNode.Parse(Body) : null,
            RefusedOnArrival = RefusedOnArrival,
        };
    }
}
