namespace Integration.Connectors.Eta.Issuing;

/// <summary>
/// Draft (issued, chained, frozen) -> Submitting (sent or being sent; checked with the portal before any resend) ->
/// Submitted (the portal took it) -> Valid | Invalid (the portal's verdict). A correction is a new receipt.
/// </summary>
public static class EtaReceiptStates
{
    public const string Draft = "Draft";
    public const string Submitting = "Submitting";
    public const string Submitted = "Submitted";
    public const string Valid = "Valid";
    public const string Invalid = "Invalid";
}
