namespace Integration.Simulators.Eta;

/// <summary>
/// A receipt the simulated portal accepted (a snapshot). <c>Status</c> is Submitted, Valid or Invalid;
/// <c>Body</c> is the receipt's raw JSON as received.
/// </summary>
public sealed record SimulatedReceipt(
    string Uuid,
    string DeviceSerial,
    string ReceiptNumber,
    string ReceiptType,
    string PreviousUuid,
    string? ReferenceUuid,
    string? ReferenceOldUuid,
    string SubmissionId,
    string Status,
    IReadOnlyList<SimulatedEtaError> Errors,
    string Body);
