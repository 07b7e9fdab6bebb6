using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Simulators.Shopify;

/// <summary>An order of the REST/webhook shape as the GraphQL Admin API shows it (the fields the connector selects).</summary>
internal static class GraphQLOrder
{
    public static JsonObject FromRest(JsonObject o, int lineItemsFirst, int shippingLinesFirst, int refundTransactionsFirst, int refundLineItemsFirst, int refundShippingLinesFirst)
    {
        var currency = Text(o["currency"]);
        var presentment = Text(o["presentment_currency"]) ?? currency;
        return new JsonObject
        {
            ["id"] = Gid("Order", o["id"]),
            ["legacyResourceId"] = Id(o["id"]),
            ["name"] = Text(o["name"]),
            ["email"] = Text(o["email"]),
            ["phone"] = Text(o["phone"]),
            ["note"] = Text(o["note"]),
            ["tags"] = new JsonArray([.. (Text(o["tags"]) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode?)t)]),
            ["createdAt"] = Text(o["created_at"]),
            ["updatedAt"] = Text(o["updated_at"]),
            ["processedAt"] = Text(o["processed_at"]),
            ["cancelledAt"] = Text(o["cancelled_at"]),
            ["cancelReason"] = Text(o["cancel_reason"])?.ToUpperInvariant(),
            ["currencyCode"] = currency,
            ["presentmentCurrencyCode"] = presentment,
            ["taxesIncluded"] = o["taxes_included"]?.DeepClone(),
            ["test"] = o["test"]?.DeepClone(),
            ["sourceName"] = Text(o["source_name"]),
            ["displayFinancialStatus"] = Text(o["financial_status"])?.ToUpperInvariant(),
            ["displayFulfillmentStatus"] = Text(o["fulfillment_status"]) switch
            {
                null => "UNFULFILLED",
                "partial" => "PARTIALLY_FULFILLED",
                var s => s.ToUpperInvariant(),
            },
            ["paymentGatewayNames"] = o["payment_gateway_names"]?.DeepClone() ?? new JsonArray(),
            ["totalDiscountsSet"] = MoneyBag(o, "total_discounts", currency, presentment),
            ["totalPriceSet"] = MoneyBag(o, "total_price", currency, presentment),
            ["totalTaxSet"] = MoneyBag(o, "total_tax", currency, presentment),
            ["subtotalPriceSet"] = MoneyBag(o, "subtotal_price", currency, presentment),
            ["totalShippingPriceSet"] = o["total_shipping_price_set"] is JsonObject ? MoneyBag(o, "total_shipping_price", currency, presentment) : null,
            ["transactions"] = new JsonArray([.. (o["transactions"] as JsonArray ?? []).OfType<JsonObject>().Select(t => (JsonNode?)new JsonObject
            {
                ["id"] = Gid("OrderTransaction", t["id"]),
                ["gateway"] = Text(t["gateway"]),
                ["kind"] = Text(t["kind"])?.ToUpperInvariant(),
                ["status"] = Text(t["status"])?.ToUpperInvariant(),
                ["processedAt"] = Text(t["processed_at"]) ?? Text(t["created_at"]),
                ["amountSet"] = MoneyBag(t, "amount", currency, presentment),
            })]),
            ["currentTotalPriceSet"] = MoneyBag(o, o["current_total_price"] is null ? "total_price" : "current_total_price", currency, presentment),
            ["refunds"] = new JsonArray([.. (o["refunds"] as JsonArray ?? []).OfType<JsonObject>().Select(f => (JsonNode?)new JsonObject
            {
                ["id"] = Gid("Refund", f["id"]),
                ["createdAt"] = Text(f["created_at"]),
                ["processedAt"] = Text(f["processed_at"]),
                ["transactions"] = RefundTransactions(f, refundTransactionsFirst, null, currency, presentment),
                ["refundLineItems"] = RefundLineItems(f, refundLineItemsFirst, null),
                ["refundShippingLines"] = RefundShippingLines(f, refundShippingLinesFirst, null),
            })]),
            ["customer"] = o["customer"] is JsonObject c ? new JsonObject
            {
                ["id"] = Gid("Customer", c["id"]),
                ["email"] = Text(c["email"]),
                ["firstName"] = Text(c["first_name"]),
                ["lastName"] = Text(c["last_name"]),
                ["phone"] = Text(c["phone"]),
            } : null,
            ["shippingAddress"] = Address(o["shipping_address"]),
            ["billingAddress"] = Address(o["billing_address"]),
            ["taxLines"] = TaxLines(o["tax_lines"], currency, presentment),
            ["lineItems"] = LineItems(o, lineItemsFirst, null),
            ["shippingLines"] = ShippingLines(o, shippingLinesFirst, null),
        };
    }

    /// <summary>A page of the order's line items, as the <c>lineItems</c> connection answers <c>first</c>/<c>after</c>.</summary>
    public static JsonObject LineItems(JsonObject o, int first, string? after)
    {
        var currency = Text(o["currency"]);
        var presentment = Text(o["presentment_currency"]) ?? currency;
        return Connection(o["line_items"], first, after, l => LineItem(l, currency, presentment));
    }

    /// <summary>A page of the order's shipping lines.</summary>
    public static JsonObject ShippingLines(JsonObject o, int first, string? after)
    {
        var currency = Text(o["currency"]);
        var presentment = Text(o["presentment_currency"]) ?? currency;
        return Connection(o["shipping_lines"], first, after, s => new JsonObject
        {
            ["id"] = Gid("ShippingLine", s["id"]),
            ["title"] = Text(s["title"]),
            ["code"] = Text(s["code"]),
            ["source"] = Text(s["source"]),
            ["originalPriceSet"] = MoneyBag(s, "price", currency, presentment),
            ["discountedPriceSet"] = MoneyBag(s, "discounted_price", currency, presentment),
            ["discountAllocations"] = Allocations(s["discount_allocations"], currency, presentment),
            ["taxLines"] = TaxLines(s["tax_lines"], currency, presentment),
        });
    }

    /// <summary>A page of a refund's line items.</summary>
    public static JsonObject RefundLineItems(JsonObject refund, int first, string? after) =>
        Connection(refund["refund_line_items"], first, after, r => new JsonObject
        {
            ["id"] = r["id"] is JsonValue ? Gid("RefundLineItem", r["id"]) : null,
            ["quantity"] = r["quantity"]?.DeepClone(),
            ["restockType"] = Text(r["restock_type"])?.ToUpperInvariant(),
            ["lineItem"] = new JsonObject { ["id"] = Gid("LineItem", r["line_item_id"]) },
            ["location"] = r["location_id"] is JsonValue ? new JsonObject { ["id"] = Gid("Location", r["location_id"]) } : null,
        });

    /// <summary>A page of a refund's transactions (the order's currencies given, as a refund has none of its own).</summary>
    public static JsonObject RefundTransactions(JsonObject refund, int first, string? after, string? currency, string? presentment) =>
        Connection(refund["transactions"], first, after, t => new JsonObject
        {
            ["kind"] = Text(t["kind"])?.ToUpperInvariant(),
            ["status"] = Text(t["status"])?.ToUpperInvariant(),
            ["gateway"] = Text(t["gateway"]),
            ["amountSet"] = MoneyBag(t, "amount", currency, presentment),
        });

    /// <summary>A page of a refund's shipping lines.</summary>
    public static JsonObject RefundShippingLines(JsonObject refund, int first, string? after) =>
        Connection(refund["refund_shipping_lines"], first, after, r => new JsonObject
        {
            ["shippingLine"] = new JsonObject { ["id"] = Gid("ShippingLine", r["shipping_line_id"] ?? r["shipping_line"]?["id"]) },
        });

    // A connection's page: the cursor is the position of the page's last node (opaque to the client, as Shopify's are).
    private static JsonObject Connection(JsonNode? items, int first, string? after, Func<JsonObject, JsonObject> shape) =>
        Page((items as JsonArray ?? []).OfType<JsonObject>().ToList(), first, after, shape);

    /// <summary>A page of <paramref name="all"/> as a connection answers <c>first</c>/<c>after</c>.</summary>
    internal static JsonObject Page<T>(IReadOnlyList<T> all, int first, string? after, Func<T, JsonObject> shape)
    {
        var start = after is null ? 0 : int.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(after)), CultureInfo.InvariantCulture);
        var page = all.Skip(start).Take(first).ToList();
        var end = start + page.Count;
        return new JsonObject
        {
            ["nodes"] = new JsonArray([.. page.Select(i => (JsonNode?)shape(i))]),
            ["pageInfo"] = new JsonObject
            {
                ["hasNextPage"] = end < all.Count,
                ["endCursor"] = page.Count == 0 ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(end.ToString(CultureInfo.InvariantCulture))),
            },
        };
    }

    /// <summary>What the order costs to read, per the simulator's model: 5 for the order and its objects, 2 per connection plus 2 per node.</summary>
    public static double Cost(int lineItems, int shippingLines) => 5 + (2 + (2 * lineItems)) + (2 + (2 * shippingLines));

    private static JsonObject LineItem(JsonObject l, string? currency, string? presentment) => new()
    {
        ["id"] = Gid("LineItem", l["id"]),
        ["sku"] = Text(l["sku"]),
        ["title"] = Text(l["title"]),
        ["name"] = Text(l["name"]),
        ["variantTitle"] = Text(l["variant_title"]),
        ["vendor"] = Text(l["vendor"]),
        ["quantity"] = l["quantity"]?.DeepClone(),
        ["currentQuantity"] = l["current_quantity"]?.DeepClone() ?? l["quantity"]?.DeepClone(),
        ["requiresShipping"] = l["requires_shipping"]?.DeepClone(),
        ["taxable"] = l["taxable"]?.DeepClone(),
        ["isGiftCard"] = l["gift_card"]?.DeepClone(),
        ["variant"] = l["variant_id"] is JsonValue ? new JsonObject { ["id"] = Gid("ProductVariant", l["variant_id"]) } : null,
        ["product"] = l["product_id"] is JsonValue ? new JsonObject { ["id"] = Gid("Product", l["product_id"]) } : null,
        ["originalUnitPriceSet"] = MoneyBag(l, "price", currency, presentment),
        ["totalDiscountSet"] = MoneyBag(l, "total_discount", currency, presentment),
        ["discountAllocations"] = Allocations(l["discount_allocations"], currency, presentment),
        ["taxLines"] = TaxLines(l["tax_lines"], currency, presentment),
    };

    private static JsonArray Allocations(JsonNode? allocations, string? currency, string? presentment) =>
        new([.. (allocations as JsonArray ?? []).OfType<JsonObject>().Select(a => (JsonNode?)new JsonObject
        {
            ["allocatedAmountSet"] = MoneyBag(a, "amount", currency, presentment),
        })]);

    private static JsonArray TaxLines(JsonNode? lines, string? currency, string? presentment) =>
        new([.. (lines as JsonArray ?? []).OfType<JsonObject>().Select(t => (JsonNode?)new JsonObject
        {
            ["title"] = Text(t["title"]),
            ["rate"] = t["rate"]?.DeepClone(),
            ["channelLiable"] = t["channel_liable"]?.DeepClone(),
            ["priceSet"] = MoneyBag(t, "price", currency, presentment),
        })]);

    internal static JsonObject? Address(JsonNode? node) => node is not JsonObject a ? null : new JsonObject
    {
        ["firstName"] = Text(a["first_name"]),
        ["lastName"] = Text(a["last_name"]),
        ["name"] = Text(a["name"]),
        ["company"] = Text(a["company"]),
        ["address1"] = Text(a["address1"]),
        ["address2"] = Text(a["address2"]),
        ["city"] = Text(a["city"]),
        ["province"] = Text(a["province"]),
        ["provinceCode"] = Text(a["province_code"]),
        ["zip"] = Text(a["zip"]),
        ["country"] = Text(a["country"]),
        ["countryCodeV2"] = Text(a["country_code"]),
        ["phone"] = Text(a["phone"]),
        ["latitude"] = a["latitude"]?.DeepClone(),
        ["longitude"] = a["longitude"]?.DeepClone(),
    };

    // A REST money field "x" has a sibling "x_set" with both currencies; GraphQL shows only the set.
    private static JsonObject MoneyBag(JsonObject owner, string field, string? currency, string? presentment)
    {
        if (owner[field + "_set"] is JsonObject set)
        {
            return new JsonObject
            {
                ["shopMoney"] = Money(set["shop_money"]?["amount"], set["shop_money"]?["currency_code"] ?? currency),
                ["presentmentMoney"] = Money(set["presentment_money"]?["amount"], set["presentment_money"]?["currency_code"] ?? presentment),
            };
        }

        return new JsonObject
        {
            ["shopMoney"] = Money(owner[field], currency),
            ["presentmentMoney"] = Money(owner[field], presentment),
        };
    }

    private static JsonObject Money(JsonNode? amount, JsonNode? currency) => Money(amount, Text(currency));

    private static JsonObject Money(JsonNode? amount, string? currency) => new()
    {
        ["amount"] = amount is null ? "0.0" : amount is JsonValue v && v.TryGetValue<decimal>(out var d) ? d.ToString(CultureInfo.InvariantCulture) : Text(amount),
        ["currencyCode"] = currency,
    };

    private static string? Gid(string type, JsonNode? id) => Id(id) is { } n ? $"gid://shopify/{type}/{n}" : null;

    private static string? Id(JsonNode? id) => id switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => null,
    };

    internal static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };
}
