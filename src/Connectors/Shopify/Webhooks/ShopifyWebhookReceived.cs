using Integration.Workflows.Triggers;

namespace Integration.Connectors.Shopify.Webhooks;

/// <summary><c>Shopify.WebhookReceived</c>: starts a flow for each stored Shopify delivery of a topic.</summary>
internal sealed class ShopifyWebhookReceived() : WebhookTrigger("shopify", "Shopify.WebhookReceived");
