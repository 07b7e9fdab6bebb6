using Integration.Workflows.Triggers;

namespace Integration.Connectors.WooCommerce.Webhooks;

/// <summary><c>WooCommerce.WebhookReceived</c>: starts a flow for each stored WooCommerce delivery of a topic.</summary>
internal sealed class WooCommerceWebhookReceived() : WebhookTrigger("woocommerce", "WooCommerce.WebhookReceived");
