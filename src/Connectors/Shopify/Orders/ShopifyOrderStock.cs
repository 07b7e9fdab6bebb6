using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Activities;
using Integration.Connectors.Shopify.Stores;
using Integration.Workflows.Webhooks;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// The stock a Shopify order took: Shopify lowers a location's stock when it takes the order, whatever its payment. A
/// line took its units now (<c>current_quantity</c>: edits and refunds put theirs back) and those refunded without a
/// restock, which Shopify did not put back. Cancelled and test orders took nothing the ERP will book, gift cards and
/// lines without a SKU nothing it stocks. Held at the store's <c>Warehouse</c>: a webhook's order does not say which
/// location ships it.
/// </summary>
internal sealed class ShopifyOrderStock(ShopifyStores stores) : IStoreOrderStock
{
    public string Source => "shopify";

    public IReadOnlyList<OrderStockStore> Stores(string company) =>
        [.. stores.All.Where(s => string.Equals(s.Company, company, StringComparison.Ordinal) && s.ShopDomain.Trim().Length > 0)
            .Select(s => new OrderStockStore(s.ShopDomain.Trim(), s.Key, s.Warehouse))];

    public IReadOnlyList<TakenStock> Taken(JsonObject order, OrderStockStore store)
    {
        if (RestOrderShape.Text(order["cancelled_at"]) is { Length: > 0 } || order["test"] is JsonValue test && test.TryGetValue<bool>(out var isTest) && isTest)
        {
            return [];
        }

        // The ERP's documents carry the id of the GraphQL id (exact; a numeric id above 2^53 may arrive rounded).
        var id = RestOrderShape.Text(order["admin_graphql_api_id"]) is { Length: > 0 } gid ? gid[(gid.LastIndexOf('/') + 1)..] : RestOrderShape.Text(order["id"]);
        if (string.IsNullOrEmpty(id))
        {
            return [];
        }

        var notRestocked = SoldQuantities.Refunded(order, line => RestOrderShape.Text(line["restock_type"]) == "no_restock");

        var taken = new List<TakenStock>();
        foreach (var line in (order["line_items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (RestOrderShape.Text(line["sku"]) is not { Length: > 0 } sku || line["gift_card"] is JsonValue gift && gift.TryGetValue<bool>(out var isGift) && isGift)
            {
                continue;
            }

            var qty = (ActivityJson.Number(line["current_quantity"]) ?? ActivityJson.Number(line["quantity"]) ?? 0)
                + (RestOrderShape.Text(line["id"]) is { } lineId ? notRestocked.GetValueOrDefault(lineId) : 0);
            if (qty > 0)
            {
                taken.Add(new TakenStock(id, sku.Trim(), store.Warehouse, qty));
            }
        }

        return taken;
    }
}
