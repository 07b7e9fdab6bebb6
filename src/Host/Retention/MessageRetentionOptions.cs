using System.ComponentModel.DataAnnotations;

namespace Integration.Host.Retention;

/// <summary>
/// <c>Messages:Retention</c>: how long webhook deliveries (<c>integration.inbox</c>) and ERP events
/// (<c>integration.outbox</c>) are kept once handled, and how often older ones are deleted.
/// </summary>
public sealed class MessageRetentionOptions
{
    /// <summary>Days a handled delivery is kept: at least 3, beyond the longest a store retries one (Shopify: 48 hours).</summary>
    [Range(3, 3650)]
    public int InboxDays { get; set; } = 30;

    [Range(1, 3650)]
    public int OutboxDays { get; set; } = 14;

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
