using System.Security.Cryptography;
using System.Text;
using Integration.Workflows.Webhooks;
using Microsoft.Extensions.Options;

namespace Integration.Connectors.WooCommerce.Webhooks;

/// <summary>
/// Verifies WooCommerce deliveries at <c>/webhooks/woocommerce/{store}</c>. WooCommerce signs the body with
/// base64 HMAC-SHA256 under the webhook secret (after decoding HTML entities in it, as WordPress does). Its
/// delivery id changes on every attempt and one order may be delivered many times, so a delivery is identified by
/// webhook id, topic and the SHA-256 of the body. The creation ping is an unsigned form body <c>webhook_id=N</c>
/// that must be answered with exactly 200.
/// </summary>
internal sealed class WooCommerceWebhookSource : IWebhookSource
{
    // WordPress's wp_specialchars_decode(ENT_QUOTES): these entities only, named and numeric; any other stays as typed.
    private static readonly (string Entity, string Text)[] WordPressEntities =
    [
        ("&lt;", "<"), ("&#060;", "<"), ("&#60;", "<"), ("&gt;", ">"), ("&#062;", ">"), ("&#62;", ">"),
        ("&quot;", "\""), ("&#034;", "\""), ("&#34;", "\""), ("&#039;", "'"), ("&#39;", "'"), ("&#x27;", "'"), ("&#X27;", "'"),
        ("&amp;", "&"), ("&#038;", "&"), ("&#38;", "&"),
    ];

    private volatile Dictionary<string, (string Store, byte[][] Secrets)> _secretsByStore;

    public WooCommerceWebhookSource(IOptionsMonitor<WooCommerceOptions> options)
    {
        _secretsByStore = Index(options.CurrentValue);
        options.OnChange(changed => _secretsByStore = Index(changed));
    }

    public string Name => "woocommerce";

    public IReadOnlyCollection<string> SignatureHeaders { get; } = ["X-WC-Webhook-Signature"];

    public WebhookVerdict Verify(WebhookRequest request)
    {
        if (request.RouteStore is not { } routed || !_secretsByStore.TryGetValue(routed, out var known))
        {
            return new WebhookVerdict.UnknownStore(request.RouteStore);
        }

        // Stored under the store's configured name, however the webhook URL spells it: the reconciliation and the
        // per-order lock compare it exactly.
        var (store, secrets) = known;

        var signature = request.Header("X-WC-Webhook-Signature");
        var topic = request.Header("X-WC-Webhook-Topic") ?? Topic(request);
        if (signature is null)
        {
            return IsCreationPing(request.Body.Span, out var pingedWebhook)
                ? new WebhookVerdict.Ping(store, "webhook_id=" + pingedWebhook)
                : new WebhookVerdict.Refused(store, topic, "missing X-WC-Webhook-Signature");
        }

        var body = request.Body.Span;
        var signed = false;
        foreach (var secret in secrets)
        {
            signed |= WebhookSignature.Matches(body, secret, signature);
        }

        if (!signed)
        {
            return new WebhookVerdict.Refused(store, topic, "signature does not match the webhook secret");
        }

        var webhookId = request.Header("X-WC-Webhook-ID");
        var deliveryId = request.Header("X-WC-Webhook-Delivery-ID");
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var subject = DeliverySubject.ForTopic(topic, body, "date_modified_gmt"u8);
        // A body without a version is the same every time ({"id":N} of order.deleted): an order trashed, restored and
        // trashed again sends it twice, so the delivery's own id tells the second from a copy of the first.
        var key = (webhookId ?? "-") + ":" + bodyHash + (subject is null && deliveryId is { Length: > 0 } ? ":" + deliveryId : "");
        return new WebhookVerdict.Accepted(new WebhookDelivery(
            Store: store,
            Topic: topic ?? "unknown",
            DeliveryKey: key,
            WebhookId: webhookId,
            EventId: deliveryId,
            TriggeredAt: null,
            ApiVersion: null,
            // date_modified_gmt is UTC; the reconciliation feeds only versions no delivery brought.
            Subject: subject,
            // date_modified is the same time in the store's zone.
            Fingerprint: subject is null ? null : DeliveryFingerprint.Of(body, "date_modified_gmt"u8, "date_modified"u8)));
    }

    private static string? Topic(WebhookRequest request)
    {
        var resource = request.Header("X-WC-Webhook-Resource");
        var @event = request.Header("X-WC-Webhook-Event");
        return resource is null || @event is null ? null : resource + "." + @event;
    }

    // The ping body is exactly "webhook_id=<digits>" (WC_Webhook::deliver_ping).
    private static bool IsCreationPing(ReadOnlySpan<byte> body, out string webhookId)
    {
        webhookId = "";
        ReadOnlySpan<byte> prefix = "webhook_id="u8;
        var trimmed = body.Trim((byte)'\n').Trim((byte)'\r');
        if (!trimmed.StartsWith(prefix) || trimmed.Length == prefix.Length || trimmed.Length > prefix.Length + 20)
        {
            return false;
        }

        foreach (var b in trimmed[prefix.Length..])
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        webhookId = Encoding.ASCII.GetString(trimmed[prefix.Length..]);
        return true;
    }

    private static Dictionary<string, (string Store, byte[][] Secrets)> Index(WooCommerceOptions options) =>
        options.Stores
            .Where(store => !string.IsNullOrWhiteSpace(store.Name) && store.ResolvedWebhookSecret is not null)
            .ToDictionary(
                store => store.Name.Trim(),
                // WordPress decodes entities in the stored secret before signing (wp_specialchars_decode).
                store => (store.Key, store.PreviousWebhookSecrets.Prepend(store.ResolvedWebhookSecret!)
                    .Where(secret => !string.IsNullOrEmpty(secret)).Select(secret => Encoding.UTF8.GetBytes(WordPressDecoded(secret))).ToArray()),
                StringComparer.OrdinalIgnoreCase);

    internal static string WordPressDecoded(string secret)
    {
        if (!secret.Contains('&', StringComparison.Ordinal))
        {
            return secret;
        }

        var text = new StringBuilder(secret.Length);
        for (var i = 0; i < secret.Length; i++)
        {
            var match = secret[i] == '&' ? WordPressEntities.FirstOrDefault(e => string.CompareOrdinal(secret, i, e.Entity, 0, e.Entity.Length) == 0) : default;
            if (match.Entity is null)
            {
                text.Append(secret[i]);
                continue;
            }

            text.Append(match.Text);
            i += match.Entity.Length - 1;
        }

        return text.ToString();
    }
}
