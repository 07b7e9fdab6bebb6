namespace Integration.Connectors.Eta.Portal;

/// <summary>
/// The portal could not be reached or was busy (429, 5xx, timeouts, WAF pages) and the in-call retries are spent; the
/// caller schedules another try, not before <see cref="RetryAfter"/> when the portal said so.
/// </summary>
public sealed class EtaTransientException(string message, TimeSpan? retryAfter = null, string? code = null, int? statusCode = null, Exception? inner = null)
    : EtaPortalException(message, code, statusCode, inner)
{
    /// <summary>The last answer's <c>Retry-After</c>, when it had one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public override bool IsTransient => true;
}
