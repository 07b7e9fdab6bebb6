namespace Integration.Connectors.Eta.Portal;

/// <summary><c>Connectors:Eta:Resilience</c>: how the portal client retries and times out within one call.</summary>
public sealed class EtaPortalResilienceOptions
{
    public const string Section = "Connectors:Eta:Resilience";

    /// <summary>Attempts per call, the first included (429, 5xx, network errors, timeouts, WAF pages).</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>First back-off delay; it doubles per retry, with jitter, unless the portal sends Retry-After.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No wait within a call is longer; a longer Retry-After ends the call so the caller can schedule.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>One attempt's time limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
