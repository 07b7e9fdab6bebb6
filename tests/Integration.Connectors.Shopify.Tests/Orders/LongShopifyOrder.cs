using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Connectors.Shopify.Tests.Orders;

/// <summary>
/// A webhook-shaped order (what the simulator's store holds) of any length: lines with VAT, shipping lines, and one
/// refund of its first lines, shipping lines and tenders; for the tests of reads longer than one answer.
/// </summary>
internal static class LongShopifyOrder
{
    public const long FirstLineId = 7_000_000_000_001L;

    public static JsonObject Build(int lines, int shipping, int refunded = 0, int shippingRefunded = 0, int tenders = 0)
    {
        var order = new JsonObject
        {
            ["name"] = "#W1",
            ["currency"] = "EGP",
            ["taxes_included"] = false,
            ["financial_status"] = "paid",
            ["updated_at"] = "2026-11-24T09:00:00+02:00",
            ["line_items"] = new JsonArray([.. Enumerable.Range(1, lines).Select(n => (JsonNode?)new JsonObject
            {
                ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{FirstLineId - 1 + n}",
                ["sku"] = $"SKU-{n}",
                ["title"] = $"Item {n}",
                ["quantity"] = 2,
                ["price"] = "10.00",
                ["discount_allocations"] = new JsonArray(),
                ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = (n / 100m).ToString("0.00", CultureInfo.InvariantCulture) }),
            })]),
            ["shipping_lines"] = new JsonArray([.. Enumerable.Range(1, shipping).Select(n => (JsonNode?)new JsonObject
            {
                ["id"] = (long)n,
                ["title"] = $"Drop {n}",
                ["price"] = "5.00",
                ["discount_allocations"] = new JsonArray(),
                ["tax_lines"] = new JsonArray(),
            })]),
        };
        if (refunded > 0 || shippingRefunded > 0 || tenders > 0)
        {
            order["refunds"] = new JsonArray(new JsonObject
            {
                ["id"] = 990001L,
                ["created_at"] = "2026-11-24T10:00:00+02:00",
                // A refund paid back over several tenders: gift cards gift_card_1, gift_card_2, ... of 10.00 each.
                ["transactions"] = new JsonArray([.. Enumerable.Range(1, tenders).Select(n => (JsonNode?)new JsonObject
                    { ["kind"] = "refund", ["status"] = "success", ["gateway"] = $"gift_card_{n}", ["amount"] = "10.00" })]),
                ["refund_line_items"] = new JsonArray([.. Enumerable.Range(1, refunded).Select(n => (JsonNode?)new JsonObject
                {
                    ["line_item_id"] = FirstLineId - 1 + n,
                    ["quantity"] = 1,
                    ["restock_type"] = "return",
                })]),
                ["refund_shipping_lines"] = new JsonArray([.. Enumerable.Range(1, shippingRefunded).Select(n => (JsonNode?)new JsonObject { ["shipping_line_id"] = (long)n })]),
            });
        }

        return order;
    }
}
