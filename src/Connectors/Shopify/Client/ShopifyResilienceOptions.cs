using Integration.Workflows.Connectors;

namespace Integration.Connectors.Shopify.Client;

/// <summary><c>Connectors:Shopify:Resilience</c>: how the Admin API client retries, breaks and times out.</summary>
public sealed class ShopifyResilienceOptions : StoreOutageOptions
{
    public const string Section = "Connectors:Shopify:Resilience";

    /// <summary>Retries after the first attempt (429, 5xx, THROTTLED, network errors, attempt timeouts).</summary>
    public int MaxRetryAttempts { get; set; } = 6;

    /// <summary>First back-off delay; it doubles per retry, with jitter, unless Shopify says how long to wait.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>No single wait is longer than this, whatever Retry-After says.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>One attempt's time limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The breaker opens when this share of calls in the sampling window failed (5xx, network, timeout).</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls the window must hold before the breaker may open.</summary>
    public int BreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the breaker stays open before one trial call.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}
