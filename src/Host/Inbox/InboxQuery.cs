namespace Integration.Host.Inbox;

/// <summary>Filters for listing the inbox; <see cref="Cursor"/> is the id below which to continue.</summary>
public sealed record InboxQuery(string? Source, string? Store, string? Status, string? Topic, long? Cursor, int Limit, string? Subject = null);
