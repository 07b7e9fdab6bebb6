namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// 422 <c>DuplicateSubmission</c>: the portal took the same body within the last 10 minutes. Never retried in the call:
/// the caller looks the receipts up (<see cref="EtaPortalClient.FindReceiptAsync"/>) instead.
/// </summary>
public sealed class EtaDuplicateSubmissionException(string message, TimeSpan? retryAfter = null, string? code = null)
    : EtaPortalException(message, code ?? "DuplicateSubmission", 422)
{
    /// <summary>When the portal would take the same body again (its <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
