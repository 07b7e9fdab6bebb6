using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.WooCommerce;

/// <summary>
/// Refunds as WooCommerce's <c>wc_create_refund</c> makes them: a refund object holding negative copies of the order
/// items refunded (line, shipping and fee items alike, each with the meta <c>_refunded_item_id</c>), an <c>amount</c>
/// that wins over the items (at most what is left to refund), the order's <c>refunds[]</c> summary, restocking that
/// counts <c>_restock_refunded_items</c> on the order line and raises a managed product's stock, and the order set to
/// <c>refunded</c> once nothing is left. Setting an order to refunded by hand adds a refund of the rest with no items
/// ("Order fully refunded."), as WooCommerce does.
/// </summary>
public sealed partial class WooCommerceStoreState
{
    /// <summary>What a refund gives back of one order item: its id, the quantity (product lines) and the net money and tax.</summary>
    public sealed record RefundItem(long ItemId, decimal Qty, decimal Total, decimal Tax);

    /// <summary>
    /// The merchant refunds (in the admin or through the API): <paramref name="items"/> with their money, and
    /// <paramref name="amount"/> in all (default: the items' money and tax). Returns the refund as the API shows it.
    /// </summary>
    public JsonObject Refund(long orderId, IReadOnlyList<RefundItem> items, decimal? amount = null, string reason = "", bool restock = true, bool throughGateway = false)
    {
        lock (Gate)
        {
            var order = _orders[orderId];
            var total = amount ?? items.Sum(i => i.Total + i.Tax);
            var left = Money(order["total"]) - Refunded(order);
            if (total <= 0 || total > left + 0.001m)
            {
                throw new InvalidOperationException($"Invalid refund amount {total} (left to refund: {left}).");
            }

            var now = Now();
            var refund = new JsonObject
            {
                ["id"] = NextId(),
                ["date_created"] = Local(now),
                ["date_created_gmt"] = now,
                ["amount"] = total.ToString("0.00", CultureInfo.InvariantCulture),
                ["reason"] = reason,
                ["refunded_by"] = 1,
                ["refunded_payment"] = throughGateway,
                ["meta_data"] = new JsonArray(),
                ["line_items"] = new JsonArray(),
                ["shipping_lines"] = new JsonArray(),
                ["tax_lines"] = new JsonArray(),
                ["fee_lines"] = new JsonArray(),
            };
            foreach (var item in items)
            {
                var (key, original) = new[] { "line_items", "shipping_lines", "fee_lines" }
                    .SelectMany(k => (order[k] as JsonArray ?? []).OfType<JsonObject>().Select(o => (k, o)))
                    .FirstOrDefault(p => (long?)p.o["id"] == item.ItemId);
                if (original is null)
                {
                    throw new InvalidOperationException($"Order {orderId} has no item {item.ItemId}.");
                }

                var copy = original.DeepClone().AsObject();
                copy["id"] = NextId();
                copy["total"] = (-item.Total).ToString("0.00", CultureInfo.InvariantCulture);
                copy["total_tax"] = (-item.Tax).ToString("0.00", CultureInfo.InvariantCulture);
                copy["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = (-item.Tax).ToString("0.00", CultureInfo.InvariantCulture), ["subtotal"] = (-item.Tax).ToString("0.00", CultureInfo.InvariantCulture) });
                copy["meta_data"] = new JsonArray(new JsonObject { ["id"] = NextId(), ["key"] = "_refunded_item_id", ["value"] = item.ItemId.ToString(CultureInfo.InvariantCulture) });
                if (key == "line_items")
                {
                    copy["subtotal"] = copy["total"]!.DeepClone();
                    copy["subtotal_tax"] = copy["total_tax"]!.DeepClone();
                    copy["quantity"] = (int)-item.Qty;
                    copy["price"] = item.Qty == 0 ? 0 : -item.Total / item.Qty;
                    if (restock && item.Qty > 0)
                    {
                        Restock(original, item.Qty);
                    }
                }

                ((JsonArray)refund[key]!).Add(copy);
            }

            RefundList(orderId).Add(refund);
            var summary = order["refunds"] as JsonArray ?? [];
            summary.Add(new JsonObject { ["id"] = (long)refund["id"]!, ["reason"] = reason, ["total"] = "-" + (string?)refund["amount"] });
            order["refunds"] = summary;
            if (Money(order["total"]) - Refunded(order) <= 0.001m)
            {
                order["status"] = "refunded";
            }

            order["date_modified_gmt"] = refund["date_created_gmt"]!.DeepClone();
            order["date_modified"] = refund["date_created"]!.DeepClone();
            return refund.DeepClone().AsObject();
        }
    }

    // The order line counts what went back to stock; a managed product's stock goes up (wc_restock_refunded_items).
    private void Restock(JsonObject line, decimal qty)
    {
        var meta = line["meta_data"] as JsonArray ?? [];
        line["meta_data"] = meta;
        var count = meta.OfType<JsonObject>().FirstOrDefault(m => (string?)m["key"] == "_restock_refunded_items");
        if (count is null)
        {
            meta.Add(new JsonObject { ["id"] = NextId(), ["key"] = "_restock_refunded_items", ["value"] = qty.ToString("0", CultureInfo.InvariantCulture) });
        }
        else
        {
            count["value"] = (Money(count["value"]) + qty).ToString("0", CultureInfo.InvariantCulture);
        }

        var productId = (long?)line["product_id"] ?? 0;
        var variationId = (long?)line["variation_id"] ?? 0;
        var product = variationId > 0 ? VariationTable(productId).GetValueOrDefault(variationId) : _products.GetValueOrDefault(productId);
        if (product is not null && (bool?)product["manage_stock"] == true)
        {
            product["stock_quantity"] = (long)(((long?)product["stock_quantity"] ?? 0) + qty);
        }
    }

    private decimal Refunded(JsonObject order) => RefundList((long)order["id"]!).Sum(r => Money(r["amount"]));

    internal static decimal Money(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<decimal>(out var d) ? d : decimal.TryParse(v.ToString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var p) ? p : 0m
        : 0m;
}
