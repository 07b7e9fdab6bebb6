namespace Integration.Host.Outbox;

/// <summary>A page of ERP events; <see cref="Next"/> is the cursor of the next page, null on the last.</summary>
public sealed record OutboxPage(IReadOnlyList<OutboxEntry> Items, long? Next);
