namespace Integration.Host.Webhooks;

/// <summary>The answer to a stored delivery: its inbox id, and whether it was a redelivery already stored.</summary>
internal sealed record WebhookReceipt(long InboxId, bool Duplicate, string Status);
