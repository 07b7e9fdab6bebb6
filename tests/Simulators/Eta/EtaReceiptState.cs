using System.Text.Json;

namespace Integration.Simulators.Eta;

/// <summary>The portal's mutable record of one accepted receipt (the public view is a <see cref="SimulatedReceipt"/> snapshot).</summary>
internal sealed class EtaReceiptState
{
    public required string Uuid { get; init; }
    public required string DeviceSerial { get; init; }
    public required string ReceiptNumber { get; init; }
    public required string ReceiptType { get; init; }
    public required string PreviousUuid { get; init; }
    public string? ReferenceUuid { get; init; }
    public string? ReferenceOldUuid { get; init; }
    public required string SubmissionId { get; init; }
    public required string LongId { get; init; }
    public required string DateTimeIssued { get; init; }
    public required decimal TotalAmount { get; init; }
    public required string Body { get; init; }

    /// <summary>A detached copy of the receipt, for the rules run at decision time.</summary>
    public required JsonElement Element { get; init; }

    public string Status { get; set; } = "Submitted";
    public IReadOnlyList<SimulatedEtaError> Errors { get; set; } = [];

    public SimulatedReceipt Snapshot() => new(
        Uuid, DeviceSerial, ReceiptNumber, ReceiptType, PreviousUuid, ReferenceUuid, ReferenceOldUuid, SubmissionId, Status, Errors, Body);
}
