namespace Integration.Simulators.Eta;

/// <summary>One 202-accepted submission: its accepted receipts and how often its details were polled.</summary>
internal sealed class EtaSubmissionState
{
    public required string Id { get; init; }
    public required string DeviceSerial { get; init; }
    public required DateTimeOffset Received { get; init; }
    public required string BodyHash { get; init; }
    public List<EtaReceiptState> Receipts { get; } = [];
    public int Polls { get; set; }
    public bool Decided { get; set; }

    /// <summary>InProgress until decided; then Valid, Invalid or PartiallyValid (no accepted receipt counts as Invalid).</summary>
    public string Status
    {
        get
        {
            if (Receipts.Any(r => r.Status == "Submitted"))
            {
                return "InProgress";
            }

            var valid = Receipts.Count(r => r.Status == "Valid");
            return valid == Receipts.Count && valid > 0 ? "Valid" : valid == 0 ? "Invalid" : "PartiallyValid";
        }
    }
}
