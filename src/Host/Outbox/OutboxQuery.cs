namespace Integration.Host.Outbox;

/// <summary>Which ERP events to list: each filter optional; newest first below <see cref="Cursor"/>.</summary>
public sealed record OutboxQuery(string? Status, string? Topic, string? Company, string? EntityKey, long? Cursor, int Limit);
