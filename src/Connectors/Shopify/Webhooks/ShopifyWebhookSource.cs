using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Integration.Workflows.Webhooks;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.Shopify.Webhooks;

/// <summary>
/// Verifies Shopify deliveries: the store comes from <c>X-Shopify-Shop-Domain</c>, the signature is the base64
/// HMAC-SHA256 of the raw body under the app secret, and a delivery is identified by <c>X-Shopify-Webhook-Id</c>
/// (never by the event id, which one merchant action shares across topics). Shopify's newer "Events" deliveries
/// use the same headers without the <c>X-</c> prefix, so both spellings are read.
/// </summary>
internal sealed class ShopifyWebhookSource : IWebhookSource
{
    private volatile Dictionary<string, (string Domain, byte[][] Secrets)> _secretsByShop;

    public ShopifyWebhookSource(IOptionsMonitor<ShopifyOptions> options)
    {
        _secretsByShop = Index(options.CurrentValue);
        options.OnChange(changed => _secretsByShop = Index(changed));
    }

    public string Name => "shopify";

    public IReadOnlyCollection<string> SignatureHeaders { get; } = ["X-Shopify-Hmac-Sha256", "Shopify-Hmac-Sha256"];

    public WebhookVerdict Verify(WebhookRequest request)
    {
        var shop = request.Header("X-Shopify-Shop-Domain", "Shopify-Shop-Domain");
        if (shop is null || !_secretsByShop.TryGetValue(shop, out var configured))
        {
            return new WebhookVerdict.UnknownStore(shop);
        }

        var secrets = configured.Secrets;

        var topic = request.Header("X-Shopify-Topic", "Shopify-Topic");
        var hmac = request.Header("X-Shopify-Hmac-Sha256", "Shopify-Hmac-Sha256");
        if (hmac is null)
        {
            return new WebhookVerdict.Refused(shop, topic, "missing X-Shopify-Hmac-Sha256");
        }

        var body = request.Body.Span;
        var valid = false;
        foreach (var secret in secrets)
        {
            valid |= WebhookSignature.Matches(body, secret, hmac);
        }

        if (!valid)
        {
            return new WebhookVerdict.Refused(shop, topic, "signature does not match the app secret");
        }

        var webhookId = request.Header("X-Shopify-Webhook-Id", "Shopify-Webhook-Id");
        var triggeredAt = DateTimeOffset.TryParse(
            request.Header("X-Shopify-Triggered-At", "Shopify-Triggered-At"),
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal,
            out var at) ? at : (DateTimeOffset?)null;

        var subject = DeliverySubject.ForTopic(topic, body, "updated_at"u8);
        return new WebhookVerdict.Accepted(new WebhookDelivery(
            // As configured, whatever the header's case: the reconciliation's feed, the per-order locks and the look-up of
            // versions already read compare the store exactly.
            Store: configured.Domain,
            Topic: topic ?? "unknown",
            // A signed delivery without a webhook id is still kept; its body is then its identity.
            DeliveryKey: webhookId ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)),
            WebhookId: webhookId,
            EventId: request.Header("X-Shopify-Event-Id", "Shopify-Event-Id"),
            TriggeredAt: triggeredAt,
            ApiVersion: request.Header("X-Shopify-API-Version", "Shopify-API-Version"),
            // The reconciliation feeds only versions no delivery brought.
            Subject: subject,
            // A delivery that changes nothing since the last one a run handled (the echo of a metafield the host wrote)
            // is not run again by flows that read the record again.
            Fingerprint: subject is null ? null : DeliveryFingerprint.Of(body, "updated_at"u8)));
    }

    private static Dictionary<string, (string Domain, byte[][] Secrets)> Index(ShopifyOptions options) =>
        options.Stores
            .Where(store => !string.IsNullOrWhiteSpace(store.ShopDomain))
            .ToDictionary(
                store => store.ShopDomain.Trim(),
                store => (store.ShopDomain.Trim(), store.PreviousAppSecrets.Prepend(store.AppSecret)
                    .Where(secret => !string.IsNullOrEmpty(secret))
                    .Select(Encoding.UTF8.GetBytes)
                    .ToArray()),
                StringComparer.OrdinalIgnoreCase);
}
