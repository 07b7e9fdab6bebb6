namespace Integration.Host.Inbox;

/// <summary>What a request to dispatch a delivery again did: how many rows went back (0 or 1), its status before, and why not.</summary>
internal sealed record InboxRequeueOutcome(int Requeued, string PreviousStatus, string? Refused);
