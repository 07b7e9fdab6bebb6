using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// An unpaid Shopify order whose discounted line is edited down before payment: Shopify keeps the line's discount
/// allocations and tax lines for the quantity ordered, so the ERP scales them to the quantity still sold, to the cent,
/// and the invoice equals Shopify's current total.
/// </summary>
public sealed class EditedLineDiscountTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private const long OrderId = 6_312_448_901_237;
    private const long ShirtLine = 15_873_221_409_901;
    private const long MugLine = 15_873_221_409_902;

    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task A_discounted_line_edited_from_three_to_two_keeps_its_per_unit_discount_and_tax_to_the_cent()
    {
        await host.OrderEventAsync("orders/create", Order(edited: false, paid: false));
        var ordered = await books.DocumentAsync("Sales Order", OrderId);
        Assert.Equal(1026.00m, ordered.GetProperty("grandTotal").GetDecimal());

        // Edited in the admin: 3 T-shirts down to 2. The BUY3 discount (20.00 on the line) is 6.6667 a unit: 13.33 left.
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", Order(edited: true, paid: false)));

        var salesOrder = await books.DocumentAsync("Sales Order", OrderId);
        var shirt = Line(salesOrder, "TSHIRT-BLU-M");
        Assert.Equal(2m, shirt.GetProperty("qty").GetDecimal());
        Assert.Equal(13.33m, shirt.GetProperty("discountAmount").GetDecimal());
        Assert.Equal(486.67m, shirt.GetProperty("netAmount").GetDecimal());
        Assert.Equal(68.13m, shirt.GetProperty("taxAmount").GetDecimal());
        Assert.Equal(16.80m, Line(salesOrder, "MUG-WHT").GetProperty("taxAmount").GetDecimal()); // not edited: as ordered
        Assert.Equal(748.60m, salesOrder.GetProperty("grandTotal").GetDecimal());

        // Paid: the invoice is Shopify's current total, so the payment settles it exactly.
        await host.OrderEventAsync("orders/paid", Order(edited: true, paid: true));

        var invoice = await books.DocumentAsync("Sales Invoice", OrderId);
        Assert.Equal(748.60m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(13.33m, Line(invoice, "TSHIRT-BLU-M").GetProperty("discountAmount").GetDecimal());
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(606.67m, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(91.93m, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(748.60m, ErpBooks.Debit(gl, "1150"));
        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));
    }

    private static System.Text.Json.JsonElement Line(System.Text.Json.JsonElement document, string sku) =>
        document.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == sku);

    /// <summary>
    /// The order as the store holds it (REST shape with shop and presentment money): 3 T-shirts at 250 with a BUY3
    /// discount of 20.00 allocated to their line, a mug at 120, shipping 50, VAT 14 %; once edited, the T-shirts' line
    /// has current_quantity 2 while its quantity, discount allocation and tax line stay those of the 3 ordered, and the
    /// current_* totals are the edited order's.
    /// </summary>
    private static string Order(bool edited, bool paid)
    {
        const string original = """
        {
          "id": 6312448901237, "admin_graphql_api_id": "gid://shopify/Order/6312448901237", "name": "#4821", "order_number": 4821,
          "email": "salma.fathy@example.com", "created_at": "2026-11-27T09:41:12+02:00", "processed_at": "2026-11-27T09:41:12+02:00",
          "updated_at": "2026-11-27T09:41:14+02:00", "cancelled_at": null, "cancel_reason": null, "test": false,
          "currency": "EGP", "presentment_currency": "EGP", "taxes_included": false, "financial_status": "pending", "fulfillment_status": null,
          "payment_gateway_names": ["Cash on Delivery (COD)"], "source_name": "web",
          "discount_codes": [{ "code": "BUY3", "amount": "20.00", "type": "fixed_amount" }],
          "discount_applications": [{ "target_type": "line_item", "type": "discount_code", "value": "20.0", "value_type": "fixed_amount", "allocation_method": "across", "target_selection": "entitled", "code": "BUY3" }],
          "total_line_items_price": "870.00", "subtotal_price": "850.00", "total_discounts": "20.00", "total_tax": "126.00", "total_price": "1026.00",
          "total_discounts_set": { "shop_money": { "amount": "20.00", "currency_code": "EGP" }, "presentment_money": { "amount": "20.00", "currency_code": "EGP" } },
          "total_price_set": { "shop_money": { "amount": "1026.00", "currency_code": "EGP" }, "presentment_money": { "amount": "1026.00", "currency_code": "EGP" } },
          "current_subtotal_price": "850.00", "current_total_discounts": "20.00", "current_total_tax": "126.00", "current_total_price": "1026.00",
          "total_outstanding": "1026.00",
          "line_items": [
            {
              "id": 15873221409901, "admin_graphql_api_id": "gid://shopify/LineItem/15873221409901", "variant_id": 45110982311901, "product_id": 9012238819901,
              "sku": "TSHIRT-BLU-M", "title": "Classic T-shirt", "variant_title": "Blue / M", "name": "Classic T-shirt - Blue / M",
              "quantity": 3, "current_quantity": 3, "fulfillable_quantity": 3, "requires_shipping": true, "taxable": true, "gift_card": false,
              "price": "250.00", "price_set": { "shop_money": { "amount": "250.00", "currency_code": "EGP" }, "presentment_money": { "amount": "250.00", "currency_code": "EGP" } },
              "total_discount": "0.00",
              "discount_allocations": [{ "amount": "20.00", "discount_application_index": 0,
                "amount_set": { "shop_money": { "amount": "20.00", "currency_code": "EGP" }, "presentment_money": { "amount": "20.00", "currency_code": "EGP" } } }],
              "tax_lines": [{ "title": "VAT", "rate": 0.14, "channel_liable": false, "price": "102.20",
                "price_set": { "shop_money": { "amount": "102.20", "currency_code": "EGP" }, "presentment_money": { "amount": "102.20", "currency_code": "EGP" } } }]
            },
            {
              "id": 15873221409902, "admin_graphql_api_id": "gid://shopify/LineItem/15873221409902", "variant_id": 45110982311902, "product_id": 9012238819902,
              "sku": "MUG-WHT", "title": "Mug", "variant_title": "White", "name": "Mug - White",
              "quantity": 1, "current_quantity": 1, "fulfillable_quantity": 1, "requires_shipping": true, "taxable": true, "gift_card": false,
              "price": "120.00", "price_set": { "shop_money": { "amount": "120.00", "currency_code": "EGP" }, "presentment_money": { "amount": "120.00", "currency_code": "EGP" } },
              "total_discount": "0.00", "discount_allocations": [],
              "tax_lines": [{ "title": "VAT", "rate": 0.14, "channel_liable": false, "price": "16.80",
                "price_set": { "shop_money": { "amount": "16.80", "currency_code": "EGP" }, "presentment_money": { "amount": "16.80", "currency_code": "EGP" } } }]
            }
          ],
          "shipping_lines": [
            {
              "id": 5129884310117, "title": "Standard", "code": "Standard", "source": "shopify", "price": "50.00", "discounted_price": "50.00",
              "price_set": { "shop_money": { "amount": "50.00", "currency_code": "EGP" }, "presentment_money": { "amount": "50.00", "currency_code": "EGP" } },
              "discount_allocations": [],
              "tax_lines": [{ "title": "VAT", "rate": 0.14, "channel_liable": false, "price": "7.00",
                "price_set": { "shop_money": { "amount": "7.00", "currency_code": "EGP" }, "presentment_money": { "amount": "7.00", "currency_code": "EGP" } } }]
            }
          ],
          "shipping_address": { "name": "Salma Fathy", "address1": "8 Road 9", "city": "Maadi", "province_code": "C", "zip": "11728", "country_code": "EG", "phone": "+20 122 555 0199" },
          "billing_address": { "name": "Salma Fathy", "address1": "8 Road 9", "city": "Maadi", "province_code": "C", "zip": "11728", "country_code": "EG", "phone": "+20 122 555 0199" },
          "customer": { "id": 8104552990331, "admin_graphql_api_id": "gid://shopify/Customer/8104552990331", "email": "salma.fathy@example.com",
            "first_name": "Salma", "last_name": "Fathy", "phone": null, "updated_at": "2026-11-27T09:41:12+02:00" }
        }
        """;
        var order = JsonNode.Parse(original)!;
        if (edited)
        {
            // What an order edit changes: the line's current and fulfillable quantities and the order's current totals.
            var shirt = order["line_items"]![0]!;
            shirt["current_quantity"] = 2;
            shirt["fulfillable_quantity"] = 2;
            order["updated_at"] = "2026-11-27T11:02:40+02:00";
            order["current_subtotal_price"] = "606.67";
            order["current_total_discounts"] = "13.33";
            order["current_total_tax"] = "91.93";
            order["current_total_price"] = "748.60";
            order["total_outstanding"] = "748.60";
        }

        if (paid)
        {
            order["financial_status"] = "paid";
            order["updated_at"] = "2026-11-27T15:20:05+02:00";
            order["total_outstanding"] = "0.00";
        }

        return order.ToJsonString();
    }
}
