using System.Text.Json.Nodes;
using Integration.Mappings.Definitions;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;

namespace Integration.Mappings.Tests.Shipped;

public sealed class ShopifyOrderMappingTests
{
    private const string Id = "shopify-order__erp-sales-order";

    private static MappingContext Context => new()
    {
        Store = "jsmith.myshopify.com",
        Values = new Dictionary<string, JsonNode?>
        {
            ["company"] = "EG01",
            ["warehouse"] = "Cairo",
            ["shippingIncomeAccount"] = "4150",
            ["guestCustomer"] = "WALK-IN",
        },
    };

    [Fact]
    public async Task The_docs_order_becomes_an_erp_sales_order_field_by_field()
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("shopify", "customer", "jsmith.myshopify.com", "gid://shopify/Customer/115310627314723954", "CUST-0042"));
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var doc = result.Document.AsObject();
        Assert.Equal("EG01", (string?)doc["company"]);
        Assert.Equal("CUST-0042", (string?)doc["customer"]);
        Assert.Equal("2022-01-01", (string?)doc["postingDate"]); // 2021-12-31T19:00-05:00 is 02:00 on 1 January in Cairo
        Assert.Equal("USD", (string?)doc["currency"]);
        Assert.False((bool)doc["taxesIncluded"]!);
        Assert.Equal(20.00m, (decimal)doc["discountAmount"]!); // total_discounts, none allocated to lines
        Assert.Equal("Cairo", (string?)doc["warehouse"]);
        Assert.Equal("shopify", (string?)doc["source"]!["system"]);
        Assert.Equal("jsmith.myshopify.com", (string?)doc["source"]!["store"]);
        Assert.Equal("820982911946154508", (string?)doc["source"]!["id"]); // exact, not the rounded 820982911946154500
        Assert.Equal("Shopify order #9999, payment voided, presented in USD 404.95", (string?)doc["remarks"]);
        Assert.Equal("Voided", (string?)doc["paymentStatus"]);
        Assert.Equal("123 Shipping Street", (string?)doc["shippingAddress"]!["line1"]);
        Assert.Equal("US", (string?)doc["shippingAddress"]!["country"]);
        Assert.Equal("KY", (string?)doc["shippingAddress"]!["region"]);
        Assert.Equal("Steve Shipper", (string?)doc["billingAddress"]!["name"]);

        var lines = doc["lines"]!.AsArray();
        Assert.Equal(6, lines.Count);
        string[] skus = ["SKU2006-001", "LENS-PROTECT-2YR", "CASE-LEATHER-PREM", "SKU2006-020", "SKU2006-035"];
        decimal[] rates = [89.99m, 19.99m, 24.99m, 159.99m, 119.99m];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(skus[i], (string?)lines[i]!["sku"]);
            Assert.Equal(1m, (decimal)lines[i]!["qty"]!);
            Assert.Equal(rates[i], (decimal)lines[i]!["rate"]!);
            Assert.Equal(0m, (decimal)lines[i]!["discountAmount"]!);
            Assert.Equal(0m, (decimal)lines[i]!["taxRate"]!); // no tax line: Shopify charged none, so neither does the ERP
        }

        Assert.Equal("gid://shopify/LineItem/487817672276298554", (string?)lines[0]!["sourceLineId"]);
        Assert.Equal("Aviator sunglasses", (string?)lines[0]!["description"]);
        var shipping = lines[5]!.AsObject();
        Assert.True(shipping.ContainsKey("sku"));
        Assert.Null(shipping["sku"]);
        Assert.Equal(1m, (decimal)shipping["qty"]!);
        Assert.Equal(10.00m, (decimal)shipping["rate"]!);
        Assert.Equal("Shipping: Generic Shipping", (string?)shipping["description"]);
        Assert.Equal("4150", (string?)shipping["incomeAccount"]);
        Assert.Equal(414.95m + 10.00m, lines.Sum(l => (decimal)l!["qty"]! * (decimal)l!["rate"]!));
    }

    [Fact]
    public async Task An_egyptian_order_with_vat_line_discounts_and_variants_maps_exactly()
    {
        // Hand-made (the docs example has no taxes or allocations): prices include 14 % VAT, a 10 % code on the first line,
        // an automatic 20 EGP off the order allocated across both lines, paid, shipped by courier with VAT.
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("shopify", "customer", "jsmith.myshopify.com", "gid://shopify/Customer/7001", "CUST-7001"));
        var order = MappingTestKit.Json("""
            {
              "id": 5550001112223334444, "admin_graphql_api_id": "gid://shopify/Order/5550001112223334447", "name": "#1042",
              "processed_at": "2026-07-14T23:30:00+03:00", "updated_at": "2026-07-14T23:31:00+03:00", "currency": "EGP",
              "taxes_included": true, "financial_status": "paid", "total_discounts": "105.00",
              "customer": { "id": 7001, "admin_graphql_api_id": "gid://shopify/Customer/7001", "email": "mona@example.eg" },
              "shipping_address": { "name": "Mona Adel", "address1": "12 Tahrir St", "city": "Cairo", "province_code": "C", "zip": "11511", "country_code": "EG", "phone": "+20 100 000 0000" },
              "line_items": [
                { "id": 1, "admin_graphql_api_id": "gid://shopify/LineItem/1", "sku": "TEE-BLK-M", "title": "Nile cotton tee", "variant_id": 11, "variant_title": "Black / M",
                  "quantity": 2, "price": "450.00", "tax_lines": [ { "title": "VAT", "rate": 0.14, "price": "97.16" } ],
                  "discount_allocations": [ { "amount": "90.00", "discount_application_index": 0 }, { "amount": "8.10", "discount_application_index": 1 } ] },
                { "id": 2, "admin_graphql_api_id": "gid://shopify/LineItem/2", "sku": "MUG-01", "title": "Cairo mug", "variant_id": 21, "variant_title": null,
                  "quantity": 1, "price": "120.00", "tax_lines": [ { "title": "VAT", "rate": 0.14, "price": "14.74" } ],
                  "discount_allocations": [ { "amount": "6.90", "discount_application_index": 1 } ] }
              ],
              "shipping_lines": [ { "id": 9, "title": "Courier", "price": "60.00", "tax_lines": [ { "rate": 0.14, "price": "7.37" } ], "discount_allocations": [] } ]
            }
            """);

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var doc = result.Document;
        Assert.Equal("CUST-7001", (string?)doc["customer"]);
        Assert.Equal("2026-07-14", (string?)doc["postingDate"]); // 23:30 in Cairo (UTC+3 in July) is still the 14th
        Assert.True((bool)doc["taxesIncluded"]!);
        Assert.Equal(0.00m, (decimal)doc["discountAmount"]!); // all 105.00 is allocated to lines
        Assert.Equal("5550001112223334447", (string?)doc["source"]!["id"]);
        Assert.Equal("Paid", (string?)doc["paymentStatus"]);
        var lines = doc["lines"]!.AsArray();
        Assert.Equal(3, lines.Count);
        Assert.Equal("TEE-BLK-M", (string?)lines[0]!["sku"]);
        Assert.Equal(2m, (decimal)lines[0]!["qty"]!);
        Assert.Equal(450.00m, (decimal)lines[0]!["rate"]!);
        Assert.Equal(98.10m, (decimal)lines[0]!["discountAmount"]!);
        Assert.Equal(14m, (decimal)lines[0]!["taxRate"]!);
        Assert.Equal("Nile cotton tee - Black / M", (string?)lines[0]!["description"]);
        Assert.Equal(6.90m, (decimal)lines[1]!["discountAmount"]!);
        Assert.Equal("Cairo mug", (string?)lines[1]!["description"]);
        Assert.Equal(60.00m, (decimal)lines[2]!["rate"]!);
        Assert.Equal(14m, (decimal)lines[2]!["taxRate"]!);
        Assert.Equal("9", (string?)lines[2]!["sourceLineId"]);
    }

    [Fact]
    public async Task Each_line_leaves_the_warehouse_its_routed_location_stands_for_and_the_orders_without_one()
    {
        // Shopify.GetOrder gives each line the location Shopify routed it to (location_id); the store's Locations say which
        // warehouse each stands for (@locations). A line without a location, or at a location the store does not map,
        // leaves the order's warehouse.
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        var items = order["line_items"]!.AsArray();
        items[0]!["location_id"] = 72014716972L;
        items[1]!["location_id"] = 72014749740L;
        items[2]!["location_id"] = 99L;
        var context = new MappingContext
        {
            Store = Context.Store,
            Values = new Dictionary<string, JsonNode?>(Context.Values) { ["locations"] = new JsonObject { ["72014716972"] = "Cairo", ["72014749740"] = "Alexandria" } },
        };

        var result = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, context);

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var lines = result.Document["lines"]!.AsArray();
        Assert.Equal("Cairo", (string?)lines[0]!["warehouse"]);
        Assert.Equal("Alexandria", (string?)lines[1]!["warehouse"]);
        Assert.False(lines[2]!.AsObject().ContainsKey("warehouse"));
        Assert.False(lines[3]!.AsObject().ContainsKey("warehouse"));
        Assert.Equal("Cairo", (string?)result.Document["warehouse"]);
    }

    [Fact]
    public async Task A_redelivered_order_with_a_changed_quantity_writes_only_that_line_field()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("shopify/orders-create.shopify-docs-2026-04.json");
        var first = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, null, Context);
        order["line_items"]![1]!["quantity"] = 3;
        order["line_items"]![1]!["current_quantity"] = 3; // Shopify shows an edited quantity in current_quantity, which the mapping reads

        var second = await kit.Mapper.ApplyAsync(Id, MappingDirection.LeftToRight, order, first.Document, Context);

        var written = Assert.Single(second.Written);
        Assert.Equal("lines[gid://shopify/LineItem/789012345678901234].qty", written.Field);
        Assert.Equal(1m, (decimal)written.Previous!);
        Assert.Equal(3m, (decimal)written.Value!);
        Assert.Equal(6, second.Changes["lines"]!.AsArray().Count); // the ERP takes its lines whole
    }
}
