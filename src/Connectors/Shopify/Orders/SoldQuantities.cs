using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// Each line's <c>sold_quantity</c>: what the order sold on it, the units a refund took back included (their credit
/// notes credit them) and the units an edit took off left out. Shopify gives neither directly: <c>quantity</c> is what
/// was first ordered, <c>current_quantity</c> is net of edits and refunds both. So sold = <c>current_quantity</c> plus
/// the line's <c>refund_line_items</c> quantities; <c>quantity</c> where the order has no <c>current_quantity</c>
/// (older payloads). The order mapping invoices it; the order flows compare it with what the ERP invoiced.
/// </summary>
internal static class SoldQuantities
{
    /// <summary>Sets <c>sold_quantity</c> on every line of <paramref name="order"/> (REST/webhook shape), in place.</summary>
    public static JsonObject Add(JsonObject order)
    {
        var refunded = Refunded(order, _ => true);
        foreach (var line in (order["line_items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            line["sold_quantity"] = line["current_quantity"] is JsonValue current
                ? Number(current) + (RestOrderShape.Text(line["id"]) is { } id ? refunded.GetValueOrDefault(id) : 0m)
                : Number(line["quantity"]);
        }

        return order;
    }

    /// <summary>The units the order's refunds took back of each line (by line id, as its digits), of the refund lines <paramref name="which"/> keeps.</summary>
    public static Dictionary<string, decimal> Refunded(JsonObject order, Func<JsonObject, bool> which)
    {
        var refunded = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var refund in (order["refunds"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var line in (refund["refund_line_items"] as JsonArray ?? []).OfType<JsonObject>().Where(which))
            {
                if (RestOrderShape.Text(line["line_item_id"]) is { } id)
                {
                    refunded[id] = refunded.GetValueOrDefault(id) + Number(line["quantity"]);
                }
            }
        }

        return refunded;
    }

    /// <summary>
    /// A quantity: a number or (in some payloads) a string; an absent one counts 0. Anything else is refused: a line
    /// invoiced for 0 units by mistake would go unnoticed.
    /// </summary>
    internal static decimal Number(JsonNode? node)
    {
        if (node is null || (node is JsonValue blank && blank.GetValueKind() == System.Text.Json.JsonValueKind.Null))
        {
            return 0m;
        }

        return decimal.TryParse(RestOrderShape.Text(node), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new InvalidOperationException($"Shopify order: quantity {node.ToJsonString()} is not a number.");
    }
}
