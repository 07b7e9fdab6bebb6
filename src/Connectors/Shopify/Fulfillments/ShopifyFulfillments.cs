using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Fulfillments;

/// <summary>
/// Ships an order: reads its fulfillment orders and creates a fulfillment (fulfillment orders API, <c>fulfillmentCreate</c>)
/// of everything still open, with tracking. Once per tracking number: an order that already has a live fulfillment with it
/// and nothing left open is left alone, so a repeated delivery note or a retried run ships nothing twice, while a run that
/// failed after the first of several locations ships the others on its retry. A new number on an order with nothing left
/// to ship is another parcel of it: the number joins the tracking of the order's newest fulfillment.
/// </summary>
public sealed class ShopifyFulfillments(ShopifyAdminClients clients)
{
    internal const string Query =
        "query FulfillmentOrders($id: ID!) { order(id: $id) { id fulfillments(first: 50) { id status trackingInfo(first: 50) { company number url } } "
        + "fulfillmentOrders(first: 20) { nodes { id status assignedLocation { location { id } } } pageInfo { hasNextPage endCursor } } } }";

    internal const string Mutation =
        "mutation FulfillmentCreate($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id status } userErrors { field message } } }";

    internal const string TrackingMutation =
        "mutation FulfillmentTrackingInfoUpdate($fulfillmentId: ID!, $trackingInfoInput: FulfillmentTrackingInput!, $notifyCustomer: Boolean) { "
        + "fulfillmentTrackingInfoUpdate(fulfillmentId: $fulfillmentId, trackingInfoInput: $trackingInfoInput, notifyCustomer: $notifyCustomer) { fulfillment { id } userErrors { field message } } }";

    private static readonly HashSet<string> Undone = ["CANCELLED", "ERROR", "FAILURE"];

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
        var live = (order["fulfillments"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(f => !Undone.Contains(f["status"]?.GetValue<string>() ?? "")).ToList();
        var existing = live.FirstOrDefault(f => Numbers(f).Any(n => string.Equals(n.Number, number, StringComparison.OrdinalIgnoreCase)));
        // One fulfillment per location: fulfillmentCreate takes fulfillment orders of one location only. No line items
        // given means "all that is left" of each fulfillment order.
        var fulfillmentOrders = (order["fulfillmentOrders"]?["nodes"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var open = fulfillmentOrders
            .Where(f => f["status"]?.GetValue<string>() is "OPEN" or "IN_PROGRESS")
            .GroupBy(f => f["assignedLocation"]?["location"]?["id"]?.GetValue<string>() ?? "").ToList();
        if (open.Count == 0)
        {
            if (existing is not null)
            {
                return new Shipment([existing["id"]!.GetValue<string>()], Existed: true);
            }

            // Another parcel only of an order shipped whole (not one on hold or scheduled), and by the carrier its
            // fulfillment names: the fulfillment has one carrier for all its numbers.
            var shippedWhole = fulfillmentOrders.All(f => f["status"]?.GetValue<string>() is "CLOSED" or "CANCELLED");
            return live.Count > 0 && shippedWhole && SameCarrier(live[^1], tracking.Company)
                ? await AddParcelAsync(client, live[^1], tracking with { Number = number }, notifyCustomer, cancellationToken)
                : new Shipment([], Existed: false);
        }

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

    private static async Task<Shipment> AddParcelAsync(ShopifyAdminClient client, JsonObject fulfillment, ShipmentTracking tracking, bool notifyCustomer, CancellationToken cancellationToken)
    {
        var parcels = Numbers(fulfillment).Append((tracking.Number, tracking.Url)).ToList();
        var input = new JsonObject
        {
            ["company"] = tracking.Company ?? Carrier(fulfillment),
            ["numbers"] = new JsonArray([.. parcels.Select(p => (JsonNode?)p.Number)]),
        };
        if (parcels.All(p => p.Url is not null))
        {
            // Either every parcel's page or none: Shopify pairs urls with numbers by position, and builds pages for carriers it knows.
            input["urls"] = new JsonArray([.. parcels.Select(p => (JsonNode?)p.Url)]);
        }

        var id = fulfillment["id"]!.GetValue<string>();
        await client.MutateAsync("FulfillmentTrackingInfoUpdate", "fulfillmentTrackingInfoUpdate", TrackingMutation, new JsonObject
        {
            ["fulfillmentId"] = id,
            ["trackingInfoInput"] = input,
            ["notifyCustomer"] = notifyCustomer,
        }, estimatedCost: 10, cancellationToken: cancellationToken);
        return new Shipment([id], Existed: false, ParcelAdded: true);
    }

    private static bool SameCarrier(JsonObject fulfillment, string? carrier) =>
        carrier is null || Carrier(fulfillment) is not { } company || string.Equals(company.Trim(), carrier.Trim(), StringComparison.OrdinalIgnoreCase);

    // The fulfillment's tracking company: one for all its numbers.
    private static string? Carrier(JsonObject fulfillment) =>
        (fulfillment["trackingInfo"] as JsonArray ?? []).OfType<JsonObject>().Select(t => t["company"]?.GetValue<string>()).FirstOrDefault(c => !string.IsNullOrWhiteSpace(c));

    private static IEnumerable<(string Number, string? Url)> Numbers(JsonObject fulfillment) =>
        (fulfillment["trackingInfo"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(t => (Number: t["number"]?.GetValue<string>()?.Trim() ?? "", Url: t["url"]?.GetValue<string>()))
            .Where(t => t.Number.Length > 0);
}
