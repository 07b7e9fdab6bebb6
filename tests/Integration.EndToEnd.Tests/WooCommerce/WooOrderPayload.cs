using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A WooCommerce order in the REST v3 shape its webhooks carry, written for what the docs example lacks: 14 % VAT per
/// line, a coupon on the T-shirts (line totals after it), a taxed flat-rate shipping line and, optionally, a taxed fee.
/// Default: 2 x T-shirt at 250 (coupon 50 off) and 1 x mug at 120, shipping 50, by card (paymob), processing.
/// Totals: items 570.00, shipping 50.00, tax 86.80, total 706.80 EGP (with the fee of 10.00 + 1.40: 718.20).
/// </summary>
public sealed class WooOrderPayload
{
    private static long _next = 70_000;

    public long Id { get; } = Interlocked.Increment(ref _next);

    public long CustomerId { get; init; } = Interlocked.Increment(ref _next);

    public string Status { get; init; } = "processing";

    public string PaymentMethod { get; init; } = "paymob";

    public bool Fee { get; init; }

    public bool Guest { get; init; }

    public string Email { get; init; } = $"nour.{Guid.NewGuid():N}@example.com";

    public string ModifiedGmt { get; init; } = "2026-11-24T10:15:00";

    /// <summary>When the order was paid (GMT); by default a few minutes after it was placed when its status is a paid one.</summary>
    public string? PaidGmt { get; init; }

    public const decimal ItemsTotal = 570.00m;

    public decimal Tax => Fee ? 88.20m : 86.80m;

    public decimal Total => Fee ? 718.20m : 706.80m;

    public const decimal Shipping = 50.00m;

    public const decimal FeeAmount = 10.00m;

    /// <summary>The customer the store holds for <see cref="CustomerId"/>.</summary>
    public JsonObject Customer() => new()
    {
        ["id"] = CustomerId,
        ["date_created_gmt"] = "2026-10-01T08:00:00",
        ["date_modified_gmt"] = "2026-10-01T08:00:00",
        ["email"] = Email,
        ["first_name"] = "Nour",
        ["last_name"] = "Hassan",
        ["role"] = "customer",
        ["username"] = "nour" + CustomerId.ToString(CultureInfo.InvariantCulture),
        ["billing"] = Address(billing: true),
        ["shipping"] = Address(billing: false),
        ["is_paying_customer"] = true,
        ["meta_data"] = new JsonArray(),
    };

    public string Json() => Order().ToJsonString();

    public JsonObject Order()
    {
        var paid = Status is "processing" or "completed";
        var order = new JsonObject
        {
            ["id"] = Id,
            ["parent_id"] = 0,
            ["number"] = Id.ToString(CultureInfo.InvariantCulture),
            ["order_key"] = "wc_order_" + Id.ToString(CultureInfo.InvariantCulture),
            ["created_via"] = "checkout",
            ["version"] = "9.4.0",
            ["status"] = Status,
            ["currency"] = "EGP",
            ["date_created"] = "2026-11-24T12:10:00",
            ["date_created_gmt"] = "2026-11-24T10:10:00",
            ["date_modified"] = ModifiedGmt,
            ["date_modified_gmt"] = ModifiedGmt,
            ["discount_total"] = "50.00",
            ["discount_tax"] = "7.00",
            ["shipping_total"] = "50.00",
            ["shipping_tax"] = "7.00",
            ["cart_tax"] = "79.80",
            ["total"] = Total.ToString("0.00", CultureInfo.InvariantCulture),
            ["total_tax"] = Tax.ToString("0.00", CultureInfo.InvariantCulture),
            ["prices_include_tax"] = false,
            ["customer_id"] = Guest ? 0 : CustomerId,
            ["customer_note"] = "",
            ["billing"] = Address(billing: true),
            ["shipping"] = Address(billing: false),
            ["payment_method"] = PaymentMethod,
            ["payment_method_title"] = PaymentMethod == "cod" ? "Cash on delivery" : "Card (Paymob)",
            ["transaction_id"] = paid && PaymentMethod != "cod" ? "pmb_" + Id.ToString(CultureInfo.InvariantCulture) : "",
            ["date_paid_gmt"] = PaidGmt ?? (paid ? "2026-11-24T10:11:00" : null),
            ["date_completed_gmt"] = Status == "completed" ? "2026-11-25T09:00:00" : null,
            ["meta_data"] = new JsonArray(),
            ["line_items"] = new JsonArray(
                Line(Id * 10 + 1, "T-shirt blue M", 101, 1011, "TSHIRT-BLU-M", 2, "500.00", "450.00", "63.00", 250),
                Line(Id * 10 + 2, "Mug white", 102, 0, "MUG-WHT", 1, "120.00", "120.00", "16.80", 120)),
            ["tax_lines"] = new JsonArray(new JsonObject
            {
                ["id"] = Id * 10 + 3, ["rate_code"] = "EG-VAT-1", ["rate_id"] = 1, ["label"] = "VAT", ["compound"] = false,
                ["tax_total"] = Fee ? "81.20" : "79.80", ["shipping_tax_total"] = "7.00", ["rate_percent"] = 14, ["meta_data"] = new JsonArray(),
            }),
            ["shipping_lines"] = new JsonArray(new JsonObject
            {
                ["id"] = Id * 10 + 4, ["method_title"] = "Flat rate", ["method_id"] = "flat_rate", ["instance_id"] = "1",
                ["total"] = "50.00", ["total_tax"] = "7.00", ["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = "7", ["subtotal"] = "" }), ["meta_data"] = new JsonArray(),
            }),
            ["fee_lines"] = Fee
                ? new JsonArray(new JsonObject
                {
                    ["id"] = Id * 10 + 5, ["name"] = "Gift wrap", ["tax_class"] = "", ["tax_status"] = "taxable", ["amount"] = "10", ["total"] = "10.00", ["total_tax"] = "1.40",
                    ["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = "1.4", ["subtotal"] = "" }), ["meta_data"] = new JsonArray(),
                })
                : new JsonArray(),
            ["coupon_lines"] = new JsonArray(new JsonObject { ["id"] = Id * 10 + 6, ["code"] = "welcome50", ["discount"] = "50.00", ["discount_tax"] = "7.00", ["meta_data"] = new JsonArray() }),
            ["refunds"] = new JsonArray(),
            ["currency_symbol"] = "EGP",
        };
        return order;
    }

    private static JsonObject Line(long id, string name, long product, long variation, string sku, int qty, string subtotal, string total, string tax, decimal price) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["product_id"] = product,
        ["variation_id"] = variation,
        ["quantity"] = qty,
        ["tax_class"] = "",
        ["subtotal"] = subtotal,
        ["subtotal_tax"] = (decimal.Parse(subtotal, CultureInfo.InvariantCulture) * 0.14m).ToString("0.00", CultureInfo.InvariantCulture),
        ["total"] = total,
        ["total_tax"] = tax,
        ["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = tax, ["subtotal"] = "" }),
        ["meta_data"] = new JsonArray(),
        ["sku"] = sku,
        ["price"] = price,
    };

    private JsonObject Address(bool billing)
    {
        var address = new JsonObject
        {
            ["first_name"] = "Nour",
            ["last_name"] = "Hassan",
            ["company"] = "",
            ["address_1"] = "12 Talaat Harb St",
            ["address_2"] = "",
            ["city"] = "Cairo",
            ["state"] = "C",
            ["postcode"] = "11511",
            ["country"] = "EG",
        };
        if (billing)
        {
            address["email"] = Email;
            address["phone"] = "+2010" + (CustomerId % 100_000_000).ToString("00000000", CultureInfo.InvariantCulture);
        }

        return address;
    }
}
