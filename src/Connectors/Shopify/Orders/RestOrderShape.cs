using System.Text.Json.Nodes;
using Integration.Connectors.Shopify.Client;

namespace Integration.Connectors.Shopify.Orders;

/// <summary>
/// A GraphQL order in the REST/webhook shape (snake_case, numeric ids, money as strings with <c>*_set</c> siblings),
/// so one mapping serves both the webhook payload and an order read back. Ids come from the gids, exact.
/// </summary>
internal static class RestOrderShape
{
    public static JsonObject From(JsonObject g)
    {
        var order = new JsonObject
        {
            ["id"] = Id(g["id"]),
            ["admin_graphql_api_id"] = Text(g["id"]),
            ["name"] = Text(g["name"]),
            ["email"] = Text(g["email"]),
            ["phone"] = Text(g["phone"]),
            ["note"] = Text(g["note"]),
            ["tags"] = string.Join(", ", (g["tags"] as JsonArray ?? []).Select(t => t?.GetValue<string>())),
            ["created_at"] = Text(g["createdAt"]),
            ["updated_at"] = Text(g["updatedAt"]),
            ["processed_at"] = Text(g["processedAt"]),
            ["cancelled_at"] = Text(g["cancelledAt"]),
            ["cancel_reason"] = Text(g["cancelReason"])?.ToLowerInvariant(),
            ["currency"] = Text(g["currencyCode"]),
            ["presentment_currency"] = Text(g["presentmentCurrencyCode"]),
            ["taxes_included"] = g["taxesIncluded"]?.DeepClone(),
            ["test"] = g["test"]?.DeepClone(),
            ["source_name"] = Text(g["sourceName"]),
            ["financial_status"] = Text(g["displayFinancialStatus"])?.ToLowerInvariant(),
            ["fulfillment_status"] = Text(g["displayFulfillmentStatus"]) switch
            {
                null or "UNFULFILLED" => null,
                "PARTIALLY_FULFILLED" => "partial",
                var s => s.ToLowerInvariant(),
            },
            ["payment_gateway_names"] = g["paymentGatewayNames"]?.DeepClone() ?? new JsonArray(),
            // Not in a webhook's order: what each gateway took (a gift card and a card), for the payments.
            ["transactions"] = new JsonArray([.. (g["transactions"] as JsonArray ?? []).OfType<JsonObject>().Select(t =>
            {
                var transaction = new JsonObject
                {
                    ["id"] = Id(t["id"]),
                    ["gateway"] = Text(t["gateway"]),
                    ["kind"] = Text(t["kind"])?.ToLowerInvariant(),
                    ["status"] = Text(t["status"])?.ToLowerInvariant(),
                    ["processed_at"] = Text(t["processedAt"]),
                };
                Money(transaction, "amount", t["amountSet"]);
                return (JsonNode?)transaction;
            })]),
            // Not Shopify's: when the money came, the last successful sale or capture. An order paid on delivery days
            // after it was placed is invoiced then, in the period open then (the order mapping's posting date).
            ["paid_at"] = PaidAt(g["transactions"] as JsonArray),
            ["customer"] = g["customer"] is JsonObject c ? new JsonObject
            {
                ["id"] = Id(c["id"]),
                ["admin_graphql_api_id"] = Text(c["id"]),
                ["email"] = Text(c["email"]),
                ["first_name"] = Text(c["firstName"]),
                ["last_name"] = Text(c["lastName"]),
                ["phone"] = Text(c["phone"]),
            } : null,
            ["shipping_address"] = Address(g["shippingAddress"]),
            ["billing_address"] = Address(g["billingAddress"]),
            ["tax_lines"] = TaxLines(g["taxLines"]),
            ["line_items"] = new JsonArray([.. Nodes(g["lineItems"]).Select(l => (JsonNode?)LineItem(l))]),
            ["shipping_lines"] = new JsonArray([.. Nodes(g["shippingLines"]).Select(s =>
            {
                var line = new JsonObject
                {
                    ["id"] = Id(s["id"]),
                    ["title"] = Text(s["title"]),
                    ["code"] = Text(s["code"]),
                    ["source"] = Text(s["source"]),
                };
                Money(line, "price", s["originalPriceSet"]);
                Money(line, "discounted_price", s["discountedPriceSet"]);
                line["discount_allocations"] = Allocations(s["discountAllocations"]);
                line["tax_lines"] = TaxLines(s["taxLines"]);
                return (JsonNode?)line;
            })]),
        };
        Money(order, "total_discounts", g["totalDiscountsSet"]);
        Money(order, "total_price", g["totalPriceSet"]);
        Money(order, "total_tax", g["totalTaxSet"]);
        Money(order, "subtotal_price", g["subtotalPriceSet"]);
        if (g["currentTotalPriceSet"] is JsonObject)
        {
            Money(order, "current_total_price", g["currentTotalPriceSet"]);
        }

        // The refunds with their money's state: a refund transaction pending at refunds/create shows here once it settled.
        order["refunds"] = new JsonArray([.. (g["refunds"] as JsonArray ?? []).OfType<JsonObject>().Select(f => (JsonNode?)new JsonObject
        {
            ["id"] = Id(f["id"]),
            ["admin_graphql_api_id"] = Text(f["id"]),
            ["order_id"] = order["id"]?.DeepClone(),
            ["created_at"] = Text(f["createdAt"]),
            ["processed_at"] = Text(f["processedAt"]),
            ["transactions"] = new JsonArray([.. Nodes(f["transactions"]).Select(t =>
            {
                var transaction = new JsonObject { ["kind"] = Text(t["kind"])?.ToLowerInvariant(), ["status"] = Text(t["status"])?.ToLowerInvariant(), ["gateway"] = Text(t["gateway"]) };
                Money(transaction, "amount", t["amountSet"]);
                return (JsonNode?)transaction;
            })]),
            // The lines each refund gave back, so a cancellation leaves them to the refund's own credit note.
            ["refund_line_items"] = new JsonArray([.. Nodes(f["refundLineItems"]).Select(r => (JsonNode?)new JsonObject
            {
                ["id"] = Id(r["id"]),
                ["line_item_id"] = Id(r["lineItem"]?["id"]),
                ["quantity"] = r["quantity"]?.DeepClone(),
                ["restock_type"] = Text(r["restockType"])?.ToLowerInvariant(),
                // Where the units were restocked; the gid too, since a flow's script holds numbers as doubles (ids above 2^53 change).
                ["location_id"] = Id(r["location"]?["id"]),
                ["location_admin_graphql_api_id"] = Text(r["location"]?["id"]),
            })]),
            ["refund_shipping_lines"] = new JsonArray([.. Nodes(f["refundShippingLines"]).Select(r => (JsonNode?)new JsonObject
            {
                ["shipping_line_id"] = Id(r["shippingLine"]?["id"]),
            })]),
        })]);
        if (g["totalShippingPriceSet"] is JsonObject)
        {
            order["total_shipping_price_set"] = MoneySet(g["totalShippingPriceSet"]);
        }

        LineLocations.Add(order, g["fulfillmentOrders"]);
        return SoldQuantities.Add(order);
    }

    private static JsonObject LineItem(JsonObject l)
    {
        var line = new JsonObject
        {
            ["id"] = Id(l["id"]),
            ["admin_graphql_api_id"] = Text(l["id"]),
            ["variant_id"] = Id(l["variant"]?["id"]),
            ["product_id"] = Id(l["product"]?["id"]),
            ["sku"] = Text(l["sku"]),
            ["title"] = Text(l["title"]),
            ["name"] = Text(l["name"]),
            ["variant_title"] = Text(l["variantTitle"]),
            ["vendor"] = Text(l["vendor"]),
            ["quantity"] = l["quantity"]?.DeepClone(),
            ["current_quantity"] = l["currentQuantity"]?.DeepClone(),
            ["requires_shipping"] = l["requiresShipping"]?.DeepClone(),
            ["taxable"] = l["taxable"]?.DeepClone(),
            ["gift_card"] = l["isGiftCard"]?.DeepClone(),
        };
        Money(line, "price", l["originalUnitPriceSet"]);
        Money(line, "total_discount", l["totalDiscountSet"]);
        line["discount_allocations"] = Allocations(l["discountAllocations"]);
        line["tax_lines"] = TaxLines(l["taxLines"]);
        return line;
    }

    private static JsonArray Allocations(JsonNode? allocations) =>
        new([.. (allocations as JsonArray ?? []).OfType<JsonObject>().Select(a =>
        {
            var allocation = new JsonObject();
            Money(allocation, "amount", a["allocatedAmountSet"]);
            return (JsonNode?)allocation;
        })]);

    private static JsonArray TaxLines(JsonNode? lines) =>
        new([.. (lines as JsonArray ?? []).OfType<JsonObject>().Select(t =>
        {
            var line = new JsonObject { ["title"] = Text(t["title"]), ["rate"] = t["rate"]?.DeepClone(), ["channel_liable"] = t["channelLiable"]?.DeepClone() };
            Money(line, "price", t["priceSet"]);
            return (JsonNode?)line;
        })]);

    internal static JsonObject? Address(JsonNode? node) => node is not JsonObject a ? null : new JsonObject
    {
        ["first_name"] = Text(a["firstName"]),
        ["last_name"] = Text(a["lastName"]),
        ["name"] = Text(a["name"]),
        ["company"] = Text(a["company"]),
        ["address1"] = Text(a["address1"]),
        ["address2"] = Text(a["address2"]),
        ["city"] = Text(a["city"]),
        ["province"] = Text(a["province"]),
        ["province_code"] = Text(a["provinceCode"]),
        ["zip"] = Text(a["zip"]),
        ["country"] = Text(a["country"]),
        ["country_code"] = Text(a["countryCodeV2"]),
        ["phone"] = Text(a["phone"]),
        ["latitude"] = a["latitude"]?.DeepClone(),
        ["longitude"] = a["longitude"]?.DeepClone(),
    };

    // REST money: "x": "12.50" (shop money) and "x_set": { shop_money, presentment_money }.
    private static void Money(JsonObject target, string field, JsonNode? set)
    {
        target[field] = Text(set?["shopMoney"]?["amount"]);
        target[field + "_set"] = MoneySet(set);
    }

    private static JsonObject MoneySet(JsonNode? set) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Text(set?["shopMoney"]?["amount"]), ["currency_code"] = Text(set?["shopMoney"]?["currencyCode"]) },
        ["presentment_money"] = new JsonObject { ["amount"] = Text(set?["presentmentMoney"]?["amount"]), ["currency_code"] = Text(set?["presentmentMoney"]?["currencyCode"]) },
    };

    private static IEnumerable<JsonObject> Nodes(JsonNode? connection) => (connection?["nodes"] as JsonArray ?? []).OfType<JsonObject>();

    private static string? PaidAt(JsonArray? transactions) =>
        (transactions ?? []).OfType<JsonObject>()
            .Where(t => Text(t["kind"]) is "SALE" or "CAPTURE" && Text(t["status"]) == "SUCCESS")
            .Select(t => Text(t["processedAt"]))
            .Select(at => (Text: at, When: DateTimeOffset.TryParse(at, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var when) ? when : (DateTimeOffset?)null))
            .Where(p => p.When is not null)
            .OrderByDescending(p => p.When)
            .Select(p => p.Text)
            .FirstOrDefault();

    internal static JsonValue? Id(JsonNode? gid) => ShopifyGid.TryParse(Text(gid), null, out var id) ? JsonValue.Create(id) : null;

    internal static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };
}
