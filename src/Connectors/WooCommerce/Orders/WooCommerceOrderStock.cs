using System.Text.Json.Nodes;
using Integration.Connectors.WooCommerce.Stores;
using Integration.Workflows.Webhooks;

namespace Integration.Connectors.WooCommerce.Orders;

/// <summary>
/// The stock a WooCommerce order took: WooCommerce lowers stock when an order is paid or put on hold, so every status but
/// those of an order not placed or not kept (pending, failed, cancelled, refunded, drafts, trash) counts, plugins'
/// statuses after processing (shipped, delivered...) included. Each line with a SKU took its quantity, held at the
/// store's <c>Warehouse</c>.
/// </summary>
internal sealed class WooCommerceOrderStock(WooCommerceStores stores) : IStoreOrderStock
{
    private static readonly HashSet<string> TookNone = new(StringComparer.OrdinalIgnoreCase)
    {
        "pending", "failed", "cancelled", "refunded", "checkout-draft", "draft", "auto-draft", "trash",
    };

    public string Source => "woocommerce";

    public IReadOnlyList<OrderStockStore> Stores(string company) =>
        [.. stores.All.Where(s => string.Equals(s.Company, company, StringComparison.Ordinal) && s.Name.Trim().Length > 0)
            .Select(s => new OrderStockStore(s.Name.Trim(), s.Name.Trim(), s.Warehouse))];

    public IReadOnlyList<TakenStock> Taken(JsonObject order, OrderStockStore store)
    {
        if (Text(order["status"]) is not { Length: > 0 } status || TookNone.Contains(status) || Text(order["id"]) is not { Length: > 0 } id)
        {
            return [];
        }

        var taken = new List<TakenStock>();
        foreach (var line in (order["line_items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(line["sku"]) is { Length: > 0 } sku && decimal.TryParse(Text(line["quantity"]), System.Globalization.NumberStyles.Number,
                    System.Globalization.CultureInfo.InvariantCulture, out var qty) && qty > 0)
            {
                taken.Add(new TakenStock(id, sku.Trim(), store.Warehouse, qty));
            }
        }

        return taken;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };
}
