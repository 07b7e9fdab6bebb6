namespace Integration.Host.Inbox;

/// <summary>A page of deliveries, newest first; pass <see cref="Next"/> as <c>cursor</c> for the following page.</summary>
public sealed record InboxPage(IReadOnlyList<InboxEntry> Items, long? Next);
