using System.ComponentModel.DataAnnotations;

namespace Integration.Workflows.Connectors;

/// <summary>The settings of a store client's <see cref="OutageBreaker"/>, shared by the connectors' resilience settings (<c>Connectors:*:Resilience</c>).</summary>
public abstract class StoreOutageOptions
{
    /// <summary>
    /// The store is taken as down when this many calls in <see cref="OutageWindow"/>, and every call there, failed after
    /// spending their retries (5xx, network, timeout; not throttling): calls then fail at once for
    /// <see cref="OutagePause"/>, then one trial call goes through. 0 turns it off (1 counts as 2, the breaker's least).
    /// </summary>
    [Range(0, 1000)]
    public int OutageAfterCalls { get; set; } = 2;

    /// <summary>At least as long as a call's whole back-off, so that the calls a store answered before it went down leave the window while the first failing one retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan OutageWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long calls fail at once before a trial call (which itself retries before it decides).</summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "1.00:00:00")]
    public TimeSpan OutagePause { get; set; } = TimeSpan.FromSeconds(30);
}
