namespace Integration.Host.Inbox;

/// <summary>One stored delivery as operators see it in listings.</summary>
public sealed record InboxEntry(
    long Id,
    string Source,
    string Store,
    string Topic,
    string DeliveryKey,
    string? WebhookId,
    string? EventId,
    DateTimeOffset? TriggeredAt,
    string? ApiVersion,
    DateTimeOffset ReceivedAt,
    string Status,
    string? Error,
    int Attempts,
    int BodyBytes,
    string? Subject,
    DateTimeOffset? SubjectVersion);
