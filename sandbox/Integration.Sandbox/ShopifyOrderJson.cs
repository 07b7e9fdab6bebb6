using System.Text.Json.Nodes;
using Integration.Simulators.Shopify;

namespace Integration.Sandbox;

/// <summary>
/// A Shopify order as its <c>orders/create</c> webhook carries it (REST shape, API 2026-04): 14 % VAT per line, an
/// optional 10 % code allocated to the lines, a taxed shipping line, paid by card or cash on delivery, in EGP.
/// </summary>
public static class ShopifyOrderJson
{
    public const decimal Shipping = 50m;

    public static decimal ShippingTax => Money.Round(Shipping * DemoOrderLine.VatRate);

    public static decimal Total(IReadOnlyList<DemoOrderLine> lines) => lines.Sum(l => l.Net + l.Tax) + Shipping + ShippingTax;

    public static string Build(long id, string name, IReadOnlyList<DemoOrderLine> lines, DemoShopper? shopper, string? discountCode, bool cod,
        Func<string, SimulatedInventoryItem?> variant, DateTimeOffset now)
    {
        var at = now.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
        var lineItems = new JsonArray();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var lineId = id + 1 + i;
            var stocked = variant(line.Item.Sku);
            lineItems.Add(new JsonObject
            {
                ["id"] = lineId,
                ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{lineId}",
                ["variant_id"] = stocked?.VariantId,
                ["product_id"] = stocked?.ProductId,
                ["sku"] = line.Item.Sku,
                ["title"] = line.Item.Name,
                ["variant_title"] = "Default Title",
                ["quantity"] = line.Qty,
                ["current_quantity"] = line.Qty,
                ["price"] = Money.Text(line.Item.Price),
                ["total_discount"] = "0.00",
                ["requires_shipping"] = true,
                ["gift_card"] = false,
                ["taxable"] = true,
                ["discount_allocations"] = line.Discount == 0 ? new JsonArray()
                    : new JsonArray(new JsonObject { ["amount"] = Money.Text(line.Discount), ["discount_application_index"] = 0 }),
                ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money.Text(line.Tax) }),
            });
        }

        var discounts = lines.Sum(l => l.Discount);
        var tax = lines.Sum(l => l.Tax) + ShippingTax;
        var total = Total(lines);
        var order = new JsonObject
        {
            ["id"] = id,
            ["admin_graphql_api_id"] = $"gid://shopify/Order/{id}",
            ["name"] = name,
            ["order_number"] = long.Parse(name.TrimStart('#'), System.Globalization.CultureInfo.InvariantCulture),
            ["email"] = shopper?.Email,
            ["created_at"] = at,
            ["processed_at"] = at,
            ["updated_at"] = at,
            ["cancelled_at"] = null,
            ["cancel_reason"] = null,
            ["currency"] = "EGP",
            ["presentment_currency"] = "EGP",
            ["taxes_included"] = false,
            ["test"] = false,
            ["financial_status"] = "paid",
            ["fulfillment_status"] = null,
            ["payment_gateway_names"] = new JsonArray(cod ? "Cash on Delivery (COD)" : "shopify_payments"),
            ["subtotal_price"] = Money.Text(lines.Sum(l => l.Net)),
            ["total_line_items_price"] = Money.Text(lines.Sum(l => l.Qty * l.Item.Price)),
            ["total_discounts"] = Money.Text(discounts),
            ["total_tax"] = Money.Text(tax),
            ["total_price"] = Money.Text(total),
            ["total_outstanding"] = "0.00",
            ["discount_codes"] = discountCode is null ? new JsonArray()
                : new JsonArray(new JsonObject { ["code"] = discountCode, ["amount"] = Money.Text(discounts), ["type"] = "percentage" }),
            ["line_items"] = lineItems,
            ["shipping_lines"] = new JsonArray(new JsonObject
            {
                ["id"] = id + 90,
                ["title"] = "Standard",
                ["price"] = Money.Text(Shipping),
                ["discounted_price"] = Money.Text(Shipping),
                ["discount_allocations"] = new JsonArray(),
                ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = Money.Text(ShippingTax) }),
            }),
            ["shipping_address"] = Address(shopper),
            ["billing_address"] = Address(shopper),
            ["customer"] = shopper is null ? null : new JsonObject
            {
                ["id"] = shopper.Id,
                ["admin_graphql_api_id"] = $"gid://shopify/Customer/{shopper.Id}",
                ["email"] = shopper.Email,
                ["first_name"] = shopper.FirstName,
                ["last_name"] = shopper.LastName,
                ["phone"] = null,
                ["updated_at"] = at,
                ["default_address"] = Address(shopper),
            },
        };
        return order.ToJsonString();
    }

    private static JsonObject Address(DemoShopper? shopper) => new()
    {
        ["name"] = shopper is null ? "Guest" : $"{shopper.FirstName} {shopper.LastName}",
        ["address1"] = "12 Tahrir Square",
        ["city"] = shopper?.City ?? "Cairo",
        ["province_code"] = "C",
        ["zip"] = "11511",
        ["country_code"] = "EG",
        ["phone"] = shopper?.Phone ?? "+20 100 000 0000",
    };
}
