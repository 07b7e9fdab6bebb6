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
        Assert.Equal("Shopify order #9999, payment voided", (string?)doc["remarks"]);
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
            Assert.False(lines[i]!.AsObject().ContainsKey("taxRate")); // no tax line: the ERP applies its default
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
}
