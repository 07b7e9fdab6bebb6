using Integration.Workflows.Webhooks;

namespace Integration.Host.Inbox;

/// <summary>One listed document a reconciliation feeds into the inbox: its delivery key, its body and its subject.</summary>
internal sealed record FedDocument(string DeliveryKey, byte[] Body, DeliverySubject Subject);
