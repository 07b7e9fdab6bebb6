using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Fulfillments;

/// <summary>
/// Ships an order: reads its fulfillment orders and creates a fulfillment (fulfillment orders API, <c>fulfillmentCreate</c>)
/// of everything still open, with tracking. Once per tracking number: an order that already has a fulfillment with it is
/// left alone, so a repeated delivery note or a retried run ships nothing twice.
/// </summary>
public sealed class ShopifyFulfillments(ShopifyAdminClients clients)
{
    internal const string Query =
        "query FulfillmentOrders($id: ID!) { order(id: $id) { id fulfillments(first: 50) { id trackingInfo(first: 10) { company number url } } "
        + "fulfillmentOrders(first: 20) { nodes { id status assignedLocation { location { id } } } pageInfo { hasNextPage endCursor } } } }";

    internal const string Mutation =
        "mutation FulfillmentCreate($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status } userErrors { field message } } }";

    /// <summary>What was done; null when the store has no such order.</summary>
    public async Task<Shipment?> CreateAsync(string? store, string orderId, ShipmentTracking tracking, bool notifyCustomer, CancellationToken cancellationToken = default)
    {
        var client = clients.For(store);
        var gid = ShopifyGid.Format("Order", ShopifyGid.Parse(orderId, "Order"));
        var data = await client.ExecuteAsync("FulfillmentOrders", Query, new JsonObject { ["id"] = gid }, estimatedCost: 165, cancellationToken: cancellationToken);
        if (data["order"] is not JsonObject order)
        {
            return null;
        }

        var number = tracking.Number.Trim();
        var existing = (order["fulfillments"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(f =>
            (f["trackingInfo"] as JsonArray ?? []).Any(t => string.Equals(t?["number"]?.GetValue<string>()?.Trim(), number, StringComparison.OrdinalIgnoreCase)));
        if (existing is not null)
        {
            return new Shipment([existing["id"]!.GetValue<string>()], Existed: true);
        }

        // One fulfillment per location: fulfillmentCreate takes fulfillment orders of one location only. No line items
        // given means "all that is left" of each fulfillment order.
        var open = (order["fulfillmentOrders"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(f => f["status"]?.GetValue<string>() is "OPEN" or "IN_PROGRESS")
            .GroupBy(f => f["assignedLocation"]?["location"]?["id"]?.GetValue<string>() ?? "");
        var created = new List<string>();
        foreach (var location in open)
        {
            var payload = await client.MutateAsync("FulfillmentCreate", "fulfillmentCreate", Mutation, new JsonObject
            {
                ["fulfillment"] = new JsonObject
                {
                    ["lineItemsByFulfillmentOrder"] = new JsonArray([.. location.Select(f => (JsonNode?)new JsonObject { ["fulfillmentOrderId"] = f["id"]!.GetValue<string>() })]),
                    ["trackingInfo"] = new JsonObject { ["company"] = tracking.Company, ["number"] = number, ["url"] = tracking.Url },
                    ["notifyCustomer"] = notifyCustomer,
                },
            }, estimatedCost: 10, cancellationToken: cancellationToken);
            created.Add(payload["fulfillment"]?["id"]?.GetValue<string>() ?? throw new ShopifyException(client.Store, "FulfillmentCreate", "the answer has no fulfillment."));
        }

        return new Shipment(created, Existed: false);
    }
}
