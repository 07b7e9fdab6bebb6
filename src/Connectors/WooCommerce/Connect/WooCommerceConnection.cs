using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Client;
using Integration.Connectors.WooCommerce.Stores;

namespace Integration.Connectors.WooCommerce.Connect;

/// <summary>
/// Connects a store: proves the REST API key by reading <c>system_status</c>, then makes sure each webhook topic the flows
/// need has exactly one active webhook to this host, signed with the store's secret: created when missing, re-enabled
/// when WooCommerce disabled it, duplicates deleted. A second run changes nothing.
/// </summary>
public sealed class WooCommerceConnection(WooCommerceClients clients, WooCommerceStores stores)
{
    /// <summary>
    /// The topics the shipped flows start from. A trashed order comes only as <c>order.deleted</c> (its id alone), one
    /// taken out of the trash as <c>order.restored</c>.
    /// </summary>
    public static readonly IReadOnlyList<string> Topics = ["order.created", "order.updated", "order.deleted", "order.restored", "customer.created", "customer.updated"];

    public async Task<WooCommerceStoreFacts> ReadStoreAsync(string? store, CancellationToken cancellationToken)
    {
        var client = clients.For(store);
        var status = await client.CallAsync("SystemStatus", (api, ct) => api.SystemStatusAsync(ct), cancellationToken);
        var environment = status["environment"];
        var settings = status["settings"];
        return new WooCommerceStoreFacts(
            client.Store,
            (string?)environment?["site_url"] ?? stores.Get(store).BaseUrl ?? "",
            (string?)settings?["currency"] ?? throw new WooCommerceException(client.Store, "SystemStatus", "the answer has no settings.currency."),
            (string?)environment?["version"],
            (string?)environment?["wp_version"],
            settings?["number_of_decimals"] is JsonValue d && d.TryGetValue<int>(out var decimals) ? decimals
                : settings?["number_of_decimals"] is JsonValue s && int.TryParse((string?)s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null);
    }

    public async Task<WooCommerceConnectResult> ConnectAsync(string? store, Uri? webhookUrl, CancellationToken cancellationToken)
    {
        var options = stores.Get(store);
        var deliveryUrl = stores.DeliveryUrl(options.Key, webhookUrl?.AbsoluteUri)
            ?? throw new InvalidOperationException($"No webhook URL: give {WooCommerceOptions.Section}:WebhookUrl (this host's public https://.../webhooks/woocommerce).");
        var facts = await ReadStoreAsync(options.Key, cancellationToken);
        var client = clients.For(options.Key);
        var secret = options.ResolvedWebhookSecret ?? throw new InvalidOperationException($"WooCommerce store '{options.Key}' has no WebhookSecret.");

        var ours = new List<JsonObject>();
        await foreach (var webhook in client.PagesAsync("ListWebhooks", (api, page, size, ct) => api.ListWebhooksAsync(page, size, ct), cancellationToken: cancellationToken))
        {
            if (SameUrl((string?)webhook["delivery_url"], deliveryUrl))
            {
                ours.Add(webhook);
            }
        }

        var repairs = new List<WooCommerceWebhookRepair>();
        var removed = 0;
        foreach (var topic in Topics)
        {
            var existing = ours.Where(w => (string?)w["topic"] == topic)
                .OrderByDescending(w => (string?)w["status"] == "active").ThenBy(w => (long?)w["id"]).ToList();
            if (existing.Count == 0)
            {
                var created = await client.CallAsync("CreateWebhook", (api, ct) => api.CreateWebhookAsync(new JsonObject
                {
                    ["name"] = $"Integration Host: {topic}",
                    ["topic"] = topic,
                    ["delivery_url"] = deliveryUrl.AbsoluteUri,
                    ["secret"] = secret,
                    ["status"] = "active",
                }, ct), cancellationToken);
                repairs.Add(new WooCommerceWebhookRepair(topic, (long?)created["id"] ?? 0, "created"));
                continue;
            }

            var keep = existing[0];
            var id = (long)keep["id"]!;
            if ((string?)keep["status"] != "active")
            {
                // Disabled after failed deliveries (or paused by hand): on again, with the secret the host verifies.
                await client.CallAsync("UpdateWebhook", (api, ct) => api.UpdateWebhookAsync(id, new JsonObject { ["status"] = "active", ["secret"] = secret }, ct), cancellationToken);
                repairs.Add(new WooCommerceWebhookRepair(topic, id, "reactivated"));
            }
            else
            {
                // WooCommerce never shows a webhook's secret, so it is set every time: after a rotation (or a change in
                // WordPress) the webhooks sign with the secret the host verifies.
                await client.CallAsync("UpdateWebhook", (api, ct) => api.UpdateWebhookAsync(id, new JsonObject { ["secret"] = secret }, ct), cancellationToken);
                repairs.Add(new WooCommerceWebhookRepair(topic, id, "active"));
            }

            foreach (var duplicate in existing.Skip(1))
            {
                var duplicateId = (long)duplicate["id"]!;
                await client.CallAsync("DeleteWebhook", (api, ct) => api.DeleteWebhookAsync(duplicateId, true, ct), cancellationToken);
                removed++;
            }
        }

        return new WooCommerceConnectResult(facts, deliveryUrl, repairs, removed);
    }

    private static bool SameUrl(string? url, Uri deliveryUrl) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && Uri.Compare(parsed, deliveryUrl, UriComponents.HttpRequestUrl, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
