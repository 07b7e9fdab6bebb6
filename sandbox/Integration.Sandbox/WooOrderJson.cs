using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.Sandbox;

/// <summary>
/// A WooCommerce order in the REST v3 shape (as its webhooks and <c>GET /orders/{id}</c> carry it): 14 % VAT per line,
/// flat-rate shipping with its VAT, paid by card (Paymob), status processing; and its customer.
/// </summary>
public static class WooOrderJson
{
    public const decimal Shipping = 50m;

    public static decimal ShippingTax => Money.Round(Shipping * DemoOrderLine.VatRate);

    public static decimal Total(IReadOnlyList<DemoOrderLine> lines) => lines.Sum(l => l.Net + l.Tax) + Shipping + ShippingTax;

    public static JsonObject Build(long id, IReadOnlyList<DemoOrderLine> lines, DemoShopper shopper, Func<string, long> productId, DateTimeOffset now)
    {
        var gmt = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var local = now.ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var lineTax = lines.Sum(l => l.Tax);
        var items = new JsonArray();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var net = Money.Text(line.Net);
            var tax = Money.Text(line.Tax);
            items.Add(new JsonObject
            {
                ["id"] = (id * 10) + i + 1,
                ["name"] = line.Item.Name,
                ["product_id"] = productId(line.Item.Sku),
                ["variation_id"] = 0,
                ["quantity"] = line.Qty,
                ["tax_class"] = "",
                ["subtotal"] = net,
                ["subtotal_tax"] = tax,
                ["total"] = net,
                ["total_tax"] = tax,
                ["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = tax, ["subtotal"] = tax }),
                ["meta_data"] = new JsonArray(),
                ["sku"] = line.Item.Sku,
                ["price"] = line.Item.Price,
            });
        }

        return new JsonObject
        {
            ["id"] = id,
            ["parent_id"] = 0,
            ["number"] = id.ToString(CultureInfo.InvariantCulture),
            ["order_key"] = "wc_order_" + id.ToString(CultureInfo.InvariantCulture),
            ["created_via"] = "checkout",
            ["version"] = "9.4.0",
            ["status"] = "processing",
            ["currency"] = "EGP",
            ["date_created"] = local,
            ["date_created_gmt"] = gmt,
            ["date_modified"] = local,
            ["date_modified_gmt"] = gmt,
            ["discount_total"] = "0.00",
            ["discount_tax"] = "0.00",
            ["shipping_total"] = Money.Text(Shipping),
            ["shipping_tax"] = Money.Text(ShippingTax),
            ["cart_tax"] = Money.Text(lineTax),
            ["total"] = Money.Text(Total(lines)),
            ["total_tax"] = Money.Text(lineTax + ShippingTax),
            ["prices_include_tax"] = false,
            ["customer_id"] = shopper.Id,
            ["customer_note"] = "",
            ["billing"] = Address(shopper, billing: true),
            ["shipping"] = Address(shopper, billing: false),
            ["payment_method"] = "paymob",
            ["payment_method_title"] = "Card (Paymob)",
            ["transaction_id"] = "pmb_" + id.ToString(CultureInfo.InvariantCulture),
            ["date_paid_gmt"] = gmt,
            ["date_completed_gmt"] = null,
            ["meta_data"] = new JsonArray(),
            ["line_items"] = items,
            ["tax_lines"] = new JsonArray(new JsonObject
            {
                ["id"] = (id * 10) + 8, ["rate_code"] = "EG-VAT-1", ["rate_id"] = 1, ["label"] = "VAT", ["compound"] = false,
                ["tax_total"] = Money.Text(lineTax), ["shipping_tax_total"] = Money.Text(ShippingTax), ["rate_percent"] = 14, ["meta_data"] = new JsonArray(),
            }),
            ["shipping_lines"] = new JsonArray(new JsonObject
            {
                ["id"] = (id * 10) + 9, ["method_title"] = "Flat rate", ["method_id"] = "flat_rate", ["instance_id"] = "1",
                ["total"] = Money.Text(Shipping), ["total_tax"] = Money.Text(ShippingTax),
                ["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = Money.Text(ShippingTax), ["subtotal"] = "" }), ["meta_data"] = new JsonArray(),
            }),
            ["fee_lines"] = new JsonArray(),
            ["coupon_lines"] = new JsonArray(),
            ["refunds"] = new JsonArray(),
            ["currency_symbol"] = "EGP",
        };
    }

    public static JsonObject Customer(DemoShopper shopper) => new()
    {
        ["id"] = shopper.Id,
        ["date_created_gmt"] = "2026-10-01T08:00:00",
        ["date_modified_gmt"] = "2026-10-01T08:00:00",
        ["email"] = shopper.Email,
        ["first_name"] = shopper.FirstName,
        ["last_name"] = shopper.LastName,
        ["role"] = "customer",
        ["username"] = shopper.Email.Split('@')[0],
        ["billing"] = Address(shopper, billing: true),
        ["shipping"] = Address(shopper, billing: false),
        ["is_paying_customer"] = true,
        ["meta_data"] = new JsonArray(),
    };

    private static JsonObject Address(DemoShopper shopper, bool billing)
    {
        var address = new JsonObject
        {
            ["first_name"] = shopper.FirstName,
            ["last_name"] = shopper.LastName,
            ["company"] = "",
            ["address_1"] = "12 Talaat Harb St",
            ["address_2"] = "",
            ["city"] = shopper.City,
            ["state"] = "C",
            ["postcode"] = "11511",
            ["country"] = "EG",
        };
        if (billing)
        {
            address["email"] = shopper.Email;
            address["phone"] = shopper.Phone;
        }

        return address;
    }
}
