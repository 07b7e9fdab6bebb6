namespace Integration.Host.Outbox;

/// <summary>One ERP event (a change the stores care about) as operators see it in listings.</summary>
public sealed record OutboxEntry(
    long Id,
    string Topic,
    string Company,
    string EntityKey,
    string? OrderingKey,
    DateTimeOffset CreatedAt,
    string Status,
    string? Error,
    int Attempts,
    DateTimeOffset? ProcessedAt);
