using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>Reads orders from a store's Admin API, in the REST/webhook shape the mappings read.</summary>
public sealed class ShopifyOrders(ShopifyAdminClients clients)
{
    /// <summary>
    /// What Shopify asks for the order read (<c>OrderQueries.One</c>, priced by its text: the same for every order),
    /// waited for before its first answer teaches it.
    /// </summary>
    internal const double OrderReadCost = 287;

    /// <summary>The order read of a store whose locations stand for several warehouses (<c>OrderQueries.OneWithLocations</c>).</summary>
    internal const double OrderReadWithLocationsCost = 414;

    /// <summary>One order by numeric id or gid; null when the store has no such order (or it is older than 60 days without read_all_orders).</summary>
    public async Task<JsonObject?> GetAsync(string? store, string orderId, CancellationToken cancellationToken = default)
    {
        var id = ShopifyGid.Parse(orderId, "Order");
        var client = clients.For(store);
        // Where each line ships from matters only when the store's locations stand for different warehouses.
        var (operation, query, cost) = client.LocationsDecideWarehouse
            ? ("OrderWithLocations", OrderQueries.OneWithLocations, OrderReadWithLocationsCost)
            : ("Order", OrderQueries.One, OrderReadCost);
        var data = await client.ExecuteAsync(operation, query,
            new JsonObject { ["id"] = ShopifyGid.Format("Order", id) }, estimatedCost: cost, cancellationToken: cancellationToken);
        if (data["order"] is not JsonObject order)
        {
            return null;
        }

        await OrderConnections.CompleteAsync(client, order, cancellationToken);
        return RestOrderShape.From(order);
    }

    private static readonly TimeSpan ListingOverlap = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Orders updated at or after <paramref name="since"/>, oldest update first, and the watermark to pass next time
    /// (the last order's <c>updated_at</c>; <paramref name="since"/> when none changed). Orders updated exactly at the
    /// watermark come again next time: the flows are idempotent on order id and version. The listing reaches a minute
    /// behind <paramref name="since"/>: an update stamped before one already listed but visible in the search only after
    /// it (a late commit, the search index's lag) is still listed once; the versions already brought are not fed again.
    /// </summary>
    public async Task<(IReadOnlyList<JsonObject> Orders, DateTimeOffset Watermark)> UpdatedSinceAsync(string? store, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        var orders = new List<JsonObject>();
        var watermark = since;
        var filter = "updated_at:>='" + (since - ListingOverlap).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "'";
        var client = clients.For(store);
        await foreach (var node in client.PagesAsync("OrdersUpdatedSince", OrderQueries.UpdatedSince, "orders",
            new JsonObject { ["query"] = filter }, OrderQueries.UpdatedSincePageSize, cancellationToken: cancellationToken))
        {
            await OrderConnections.CompleteAsync(client, node, cancellationToken);
            var order = RestOrderShape.From(node);
            orders.Add(order);
            if (DateTimeOffset.TryParse(order["updated_at"]?.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > watermark)
            {
                watermark = at;
            }
        }

        return (orders, watermark);
    }
}
