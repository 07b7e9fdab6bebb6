using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Integration.Testing.Webhooks;

/// <summary>Builds webhook requests the way Shopify and WooCommerce send them: raw body, their headers, their HMAC.</summary>
public static class SignedDelivery
{
    public static string Sign(byte[] body, string secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret), body));

    public static HttpRequestMessage Shopify(
        byte[] body,
        string secret,
        string shop,
        string topic = "orders/create",
        string? webhookId = null,
        string? eventId = null,
        string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/shopify") { Content = Json(body) };
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Hmac-Sha256", signature ?? Sign(body, secret));
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        request.Headers.Add("X-Shopify-API-Version", "2026-04");
        request.Headers.Add("X-Shopify-Webhook-Id", webhookId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Event-Id", eventId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Triggered-At", "2026-11-24T03:59:58.123456789Z");
        return request;
    }

    public static HttpRequestMessage WooCommerce(
        byte[] body,
        string secret,
        string store,
        string topic = "order.created",
        string webhookId = "3",
        string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/woocommerce/{store}") { Content = Json(body) };
        var parts = topic.Split('.', 2);
        request.Headers.Add("X-WC-Webhook-Source", "https://shop.example.com/");
        request.Headers.Add("X-WC-Webhook-Topic", topic);
        request.Headers.Add("X-WC-Webhook-Resource", parts[0]);
        request.Headers.Add("X-WC-Webhook-Event", parts.Length > 1 ? parts[1] : "");
        request.Headers.Add("X-WC-Webhook-Signature", signature ?? Sign(body, secret));
        request.Headers.Add("X-WC-Webhook-ID", webhookId);
        // WooCommerce changes this on every attempt (wp_hash(id . time)); it must not matter for dedupe.
        request.Headers.Add("X-WC-Webhook-Delivery-ID", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        request.Headers.UserAgent.ParseAdd("WooCommerce/9.4.0 Hookshot (WordPress/6.7)");
        return request;
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
