using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Connect;

/// <summary>
/// Connects a store: proves the credentials by reading the shop, then subscribes the webhook topics the flows need,
/// listing the existing subscriptions first so a second run creates nothing.
/// </summary>
public sealed class ShopifyConnection(ShopifyAdminClients clients)
{
    /// <summary>The topics the order-to-cash and customer flows start from, as GraphQL <c>WebhookSubscriptionTopic</c> values.</summary>
    public static readonly IReadOnlyList<string> Topics =
    [
        "ORDERS_CREATE", "ORDERS_UPDATED", "ORDERS_PAID", "ORDERS_CANCELLED", "REFUNDS_CREATE", "CUSTOMERS_CREATE", "CUSTOMERS_UPDATE", "APP_UNINSTALLED",
    ];

    private const string ShopQuery = "query Shop { shop { id name myshopifyDomain currencyCode } locations(first: 250) { nodes { id name isActive } } }";

    /// <summary>
    /// What Shopify asks for the shop read: the shop 1, the locations connection 2 plus 250 nodes. Waited for before its
    /// first answer teaches the real figure: the hourly webhook check's read, guessed lower, overdrew a bucket a nightly
    /// stock upload kept nearly empty, and met a 429.
    /// </summary>
    internal const double ShopReadCost = 1 + 2 + 250;
    private const string ListQuery = "query WebhookSubscriptions($first: Int!, $after: String) { webhookSubscriptions(first: $first, after: $after) { nodes { id topic uri } pageInfo { hasNextPage endCursor } } }";
    private const string CreateMutation = "mutation WebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!) { webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) { webhookSubscription { id topic uri } userErrors { field message } } }";

    public async Task<ShopifyShop> ReadShopAsync(string? store, CancellationToken cancellationToken)
    {
        var client = clients.For(store);
        var data = await client.ExecuteAsync("Shop", ShopQuery, estimatedCost: ShopReadCost, cancellationToken: cancellationToken);
        var shop = data["shop"]!;
        return new ShopifyShop(
            client.Store,
            shop["myshopifyDomain"]!.GetValue<string>(),
            ShopifyGid.Parse(shop["id"]!.GetValue<string>(), "Shop"),
            shop["name"]!.GetValue<string>(),
            shop["currencyCode"]!.GetValue<string>(),
            [.. (data["locations"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>().Select(l => new ShopifyLocation(
                ShopifyGid.Parse(l["id"]!.GetValue<string>(), "Location"), l["name"]!.GetValue<string>(), l["isActive"]?.GetValue<bool>() ?? true))]);
    }

    public async Task<ShopifyConnectResult> ConnectAsync(string? store, Uri webhookUrl, CancellationToken cancellationToken)
    {
        var shop = await ReadShopAsync(store, cancellationToken);
        var client = clients.For(store);
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var subscription in client.PagesAsync("WebhookSubscriptions", ListQuery, "webhookSubscriptions", pageSize: 100, cancellationToken: cancellationToken))
        {
            if (subscription["uri"]?.GetValue<string>() == webhookUrl.AbsoluteUri)
            {
                existing.Add(subscription["topic"]!.GetValue<string>());
            }
        }

        var created = new List<string>();
        foreach (var topic in Topics.Where(t => !existing.Contains(t)))
        {
            await client.MutateAsync("WebhookSubscriptionCreate", "webhookSubscriptionCreate", CreateMutation,
                new JsonObject { ["topic"] = topic, ["uri"] = webhookUrl.AbsoluteUri }, cancellationToken: cancellationToken);
            created.Add(topic);
        }

        return new ShopifyConnectResult(shop, created, [.. Topics.Where(existing.Contains)]);
    }
}
