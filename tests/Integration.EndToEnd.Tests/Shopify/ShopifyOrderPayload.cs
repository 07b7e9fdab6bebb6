using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A Shopify order as its webhooks send it (REST shape, API 2026-04), written for cases the docs example lacks:
/// 14 % VAT per line, a 10 % discount code allocated to the lines, variants with SKUs, a taxed shipping line.
/// Ids are 13 digits like real ones today. Default: 2 x T-shirt at 250 and 1 x mug at 120, shipping 50, paid by card.
/// Totals: subtotal 558.00, discounts 62.00, tax 85.12, total 693.12 EGP.
/// </summary>
internal sealed class ShopifyOrderPayload
{
    private static long _next = 5_981_000_000_000;

    public long Id { get; } = Interlocked.Increment(ref _next);

    public string FinancialStatus { get; init; } = "paid";

    public string? CancelledAt { get; init; }

    public bool Test { get; init; }

    public bool Guest { get; init; }

    public string Email { get; init; } = $"mona.{Guid.NewGuid():N}@example.com";

    public string Gateway { get; init; } = "shopify_payments";

    /// <summary>SKUs Shopify charged no tax on (an exempt product): their lines have no tax lines.</summary>
    public IReadOnlySet<string> Untaxed { get; init; } = new HashSet<string>();

    /// <summary>Lines (by the SKU given in <see cref="Lines"/>) written as custom lines: a custom item or tip, with no variant, no product and a SKU of "".</summary>
    public IReadOnlySet<string> CustomItems { get; init; } = new HashSet<string>();

    public string UpdatedAt { get; init; } = "2026-11-24T10:15:00+02:00";

    public long CustomerId { get; } = Interlocked.Increment(ref _next);

    public IReadOnlyList<(long Id, string Sku, int Qty, decimal Price, decimal Discount)> Lines { get; init; }

    public ShopifyOrderPayload()
    {
        // Each order takes a block of 2,000 ids: a test's refund id (the order's id plus an offset under 1,900) is never
        // another order's, nor another test's refund id.
        var first = Interlocked.Add(ref _next, 2000) - 1990;
        Lines = [(first, "TSHIRT-BLU-M", 2, 250.00m, 50.00m), (first + 1, "MUG-WHT", 1, 120.00m, 12.00m)];
    }

    public const decimal Shipping = 50.00m;

    /// <summary>Taken off the shipping line by a shipping discount (free shipping: all of it); Shopify allocates it to the shipping line and counts it in total_discounts.</summary>
    public decimal ShippingDiscount { get; init; }

    public decimal Subtotal => Lines.Sum(l => (l.Qty * l.Price) - l.Discount);

    public decimal Discounts => Lines.Sum(l => l.Discount);

    public decimal Tax => Lines.Sum(l => Untaxed.Contains(l.Sku) ? 0 : LineTax(l.Qty, l.Price, l.Discount)) + Round((Shipping - ShippingDiscount) * 0.14m);

    public decimal Total => Subtotal + Shipping - ShippingDiscount + Tax;

    public string Json()
    {
        var lineItems = new JsonArray();
        foreach (var (id, sku, qty, price, discount) in Lines)
        {
            lineItems.Add(new JsonObject
            {
                ["id"] = id,
                ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{id}",
                ["variant_id"] = CustomItems.Contains(sku) ? null : id + 7_000_000,
                ["product_id"] = CustomItems.Contains(sku) ? null : id + 8_000_000,
                ["sku"] = CustomItems.Contains(sku) ? "" : sku,
                ["title"] = sku,
                ["variant_title"] = "Default",
                ["quantity"] = qty,
                ["current_quantity"] = qty,
                ["price"] = Money(price),
                ["total_discount"] = "0.00",
                ["requires_shipping"] = true,
                ["gift_card"] = false,
                ["discount_allocations"] = new JsonArray(new JsonObject { ["amount"] = Money(discount), ["discount_application_index"] = 0 }),
                ["taxable"] = !Untaxed.Contains(sku),
                ["tax_lines"] = Untaxed.Contains(sku) ? new JsonArray() : new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money(LineTax(qty, price, discount)) }),
            });
        }

        var order = new JsonObject
        {
            ["id"] = Id,
            ["admin_graphql_api_id"] = $"gid://shopify/Order/{Id}",
            ["name"] = $"#{Id % 100000}",
            ["order_number"] = Id % 100000,
            ["email"] = Guest ? null : Email,
            ["created_at"] = "2026-11-24T10:14:55+02:00",
            ["processed_at"] = "2026-11-24T10:14:55+02:00",
            ["updated_at"] = UpdatedAt,
            ["cancelled_at"] = CancelledAt,
            ["cancel_reason"] = CancelledAt is null ? null : "customer",
            ["currency"] = "EGP",
            ["presentment_currency"] = "EGP",
            ["taxes_included"] = false,
            ["test"] = Test,
            ["financial_status"] = FinancialStatus,
            ["fulfillment_status"] = null,
            ["payment_gateway_names"] = new JsonArray(Gateway),
            ["subtotal_price"] = Money(Subtotal),
            ["total_line_items_price"] = Money(Lines.Sum(l => l.Qty * l.Price)),
            ["total_discounts"] = Money(Discounts + ShippingDiscount),
            ["total_tax"] = Money(Tax),
            ["total_price"] = Money(Total),
            ["total_outstanding"] = FinancialStatus == "paid" ? "0.00" : Money(Total),
            ["discount_codes"] = new JsonArray(new JsonObject { ["code"] = "WELCOME10", ["amount"] = Money(Discounts), ["type"] = "percentage" }),
            ["line_items"] = lineItems,
            ["shipping_lines"] = new JsonArray(new JsonObject
            {
                ["id"] = Id + 3,
                ["title"] = "Standard",
                ["price"] = Money(Shipping),
                ["discounted_price"] = Money(Shipping - ShippingDiscount),
                ["discount_allocations"] = ShippingDiscount == 0 ? new JsonArray()
                    : new JsonArray(new JsonObject { ["amount"] = Money(ShippingDiscount), ["discount_application_index"] = 1 }),
                ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money(Round((Shipping - ShippingDiscount) * 0.14m)) }),
            }),
            ["shipping_address"] = Address(),
            ["billing_address"] = Address(),
            ["customer"] = Guest ? null : new JsonObject
            {
                ["id"] = CustomerId,
                ["admin_graphql_api_id"] = $"gid://shopify/Customer/{CustomerId}",
                ["email"] = Email,
                ["first_name"] = "Mona",
                ["last_name"] = "Hassan",
                ["phone"] = null,
                ["updated_at"] = UpdatedAt,
                ["default_address"] = Address(),
            },
        };
        return order.ToJsonString();
    }

    /// <summary>A refunds/create body for some of this order's lines.</summary>
    public string RefundJson(long refundId, bool restock, params (int LineIndex, int Qty)[] lines) =>
        RefundJson(refundId, restock ? "return" : "no_restock", shipping: false, lines);

    /// <summary>
    /// The refund Shopify makes when the order is cancelled with its money refunded: every line (restocked as a
    /// cancellation) and the shipping.
    /// </summary>
    public string CancellationRefundJson(long refundId) =>
        RefundJson(refundId, "cancel", shipping: true, [.. Lines.Select((l, i) => (i, l.Qty))]);

    /// <summary>A refund of all the lines but the last, and not the shipping: what a cancellation leaves for itself.</summary>
    public string PartialCancellationRefundJson(long refundId) =>
        RefundJson(refundId, "cancel", shipping: false, [.. Lines.Take(Lines.Count - 1).Select((l, i) => (i, l.Qty))]);

    /// <summary>A refund, with no restock, of what <see cref="PartialCancellationRefundJson"/> leaves: the last line, and the shipping unless <paramref name="shipping"/> is false.</summary>
    public string RestOfPartialCancellationRefundJson(long refundId, bool shipping = true) =>
        RefundJson(refundId, "no_restock", shipping, [(Lines.Count - 1, Lines[^1].Qty)]);

    private string RefundJson(long refundId, string restockType, bool shipping, (int LineIndex, int Qty)[] lines)
    {
        var items = new JsonArray();
        var amount = 0m;
        foreach (var (index, qty) in lines)
        {
            var (id, _, orderedQty, price, discount) = Lines[index];
            var subtotal = Round(((orderedQty * price) - discount) * qty / orderedQty);
            var tax = Round(subtotal * 0.14m);
            amount += subtotal + tax;
            items.Add(new JsonObject
            {
                ["id"] = refundId + index + 1,
                ["line_item_id"] = id,
                ["quantity"] = qty,
                ["restock_type"] = restockType,
                ["subtotal"] = Money(subtotal),
                ["total_tax"] = Money(tax),
                ["line_item"] = new JsonObject { ["id"] = id, ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{id}" },
            });
        }

        var shippingLines = new JsonArray();
        if (shipping)
        {
            var tax = Round(Shipping * 0.14m);
            amount += Shipping + tax;
            shippingLines.Add(new JsonObject
            {
                ["id"] = refundId + 90,
                ["shipping_line_id"] = Id + 3,
                ["subtotal_amount_set"] = MoneySet(Shipping),
                ["tax_amount_set"] = MoneySet(tax),
                ["shipping_line"] = new JsonObject
                {
                    ["id"] = Id + 3,
                    ["title"] = "Standard",
                    ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money(tax) }),
                },
            });
        }

        return new JsonObject
        {
            ["id"] = refundId,
            ["admin_graphql_api_id"] = $"gid://shopify/Refund/{refundId}",
            ["order_id"] = Id,
            ["created_at"] = "2026-11-26T12:00:00+02:00",
            ["processed_at"] = "2026-11-26T12:00:00+02:00",
            ["note"] = "Wrong size",
            ["restock"] = restockType != "no_restock",
            ["refund_line_items"] = items,
            ["refund_shipping_lines"] = shippingLines,
            ["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = "success", ["amount"] = Money(amount), ["gateway"] = Gateway }),
            ["order_adjustments"] = new JsonArray(),
        }.ToJsonString();
    }

    public static decimal LineTax(int qty, decimal price, decimal discount) => Round(((qty * price) - discount) * 0.14m);

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static JsonObject MoneySet(decimal value) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = Money(value), ["currency_code"] = "EGP" },
        ["presentment_money"] = new JsonObject { ["amount"] = Money(value), ["currency_code"] = "EGP" },
    };

    private static JsonObject Address() => new()
    {
        ["name"] = "Mona Hassan",
        ["address1"] = "12 Tahrir Square",
        ["city"] = "Cairo",
        ["province_code"] = "C",
        ["zip"] = "11511",
        ["country_code"] = "EG",
        ["phone"] = "+20 100 123 4567",
    };

    /// <summary>A gift card sold, as a line item (no tax, no shipping).</summary>
    public static JsonObject GiftCardLine(long id, decimal price) => new()
    {
        ["id"] = id,
        ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{id}",
        ["variant_id"] = id + 7_000_000,
        ["product_id"] = id + 8_000_000,
        ["sku"] = "GIFTCARD-" + price.ToString("0", CultureInfo.InvariantCulture),
        ["title"] = "Gift card",
        ["variant_title"] = price.ToString("0", CultureInfo.InvariantCulture) + " EGP",
        ["quantity"] = 1,
        ["current_quantity"] = 1,
        ["price"] = price.ToString("0.00", CultureInfo.InvariantCulture),
        ["total_discount"] = "0.00",
        ["requires_shipping"] = false,
        ["gift_card"] = true,
        ["taxable"] = false,
        ["discount_allocations"] = new JsonArray(),
        ["tax_lines"] = new JsonArray(),
    };
}
