namespace Integration.Workflows.Webhooks;

/// <summary>
/// A verified delivery's identity. <see cref="DeliveryKey"/> is what makes a redelivery recognisable:
/// the inbox is unique on (source, store, topic, delivery key).
/// </summary>
/// <param name="Store">The configured store the delivery is for (Shopify shop domain, WooCommerce store name).</param>
/// <param name="Topic">The store's topic, e.g. <c>orders/create</c> or <c>order.created</c>.</param>
/// <param name="DeliveryKey">Delivery-level dedupe key.</param>
/// <param name="WebhookId">The store's webhook or delivery id header, as sent.</param>
/// <param name="EventId">The store's event id (shared by all deliveries of one merchant action), if any.</param>
/// <param name="TriggeredAt">When the store says it triggered the delivery, if it says.</param>
/// <param name="ApiVersion">The API version the payload is serialized in, if known.</param>
/// <param name="Subject">The record the payload is about and its version, when the source can tell.</param>
/// <param name="Fingerprint">What the payload says about its record apart from its version (<see cref="DeliveryFingerprint"/>), when it has a subject.</param>
public sealed record WebhookDelivery(
    string Store,
    string Topic,
    string DeliveryKey,
    string? WebhookId,
    string? EventId,
    DateTimeOffset? TriggeredAt,
    string? ApiVersion,
    DeliverySubject? Subject = null,
    byte[]? Fingerprint = null);
