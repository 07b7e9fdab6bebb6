using System.Text.Json.Nodes;
using Integration.Mappings.Engine;
using Integration.Mappings.KeyMaps;

namespace Integration.Mappings.Tests.Shipped;

public sealed class WooCommerceOrderMappingTests
{
    private const string Id = "woocommerce-order__erp-sales-order";

    private static MappingContext Context(string store) => new()
    {
        Store = store,
        Values = new Dictionary<string, JsonNode?>
        {
            ["company"] = "EG01",
            ["warehouse"] = "Cairo",
            ["shippingIncomeAccount"] = "4150",
            ["feeIncomeAccount"] = "4250",
            ["guestCustomer"] = "WALK-IN",
        },
    };

    [Fact]
    public async Task The_frappe_store_order_becomes_an_erp_sales_order_field_by_field()
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("woocommerce", "customer", "frappe.example", "1", "CUST-0007"));
        var order = MappingTestKit.Fixture("woocommerce/order-created.frappe-ecommerce-integrations-test.json");

        var result = await kit.Mapper.ApplyAsync(Id, "woocommerce", order, null, Context("frappe.example"));

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var doc = result.Document.AsObject();
        Assert.Equal("CUST-0007", (string?)doc["customer"]);
        Assert.Equal("2021-11-30", (string?)doc["postingDate"]); // 07:32 UTC is 09:32 in Cairo
        Assert.Equal("INR", (string?)doc["currency"]);
        Assert.False((bool)doc["taxesIncluded"]!);
        Assert.Equal(0m, (decimal)doc["discountAmount"]!);
        Assert.Equal("woocommerce", (string?)doc["source"]!["system"]);
        Assert.Equal("frappe.example", (string?)doc["source"]!["store"]);
        Assert.Equal("205", (string?)doc["source"]!["id"]);
        Assert.Equal("Unpaid", (string?)doc["paymentStatus"]); // on-hold, cash on delivery
        Assert.Equal("doctor strange", (string?)doc["billingAddress"]!["name"]);
        Assert.Equal("MH", (string?)doc["billingAddress"]!["region"]);
        Assert.Equal("strange@erpnext.com", (string?)doc["billingAddress"]!["email"]);
        var line = Assert.Single(doc["lines"]!.AsArray())!;
        Assert.Equal("woo-album", (string?)line["sku"]);
        Assert.Equal("424", (string?)line["sourceLineId"]);
        Assert.Equal(1m, (decimal)line["qty"]!);
        Assert.Equal(15m, (decimal)line["rate"]!);
        Assert.Equal(0m, (decimal)line["discountAmount"]!);
        Assert.Equal(18m, (decimal)line["taxRate"]!); // 2.70 on 15.00
        Assert.Equal(2.70m, (decimal)line["taxAmount"]!); // as charged, so the ERP's VAT is the store's
        Assert.Equal("Album", (string?)line["description"]);
    }

    [Fact]
    public async Task A_line_of_hundreds_of_units_priced_with_tax_comes_to_its_subtotal_to_the_cent()
    {
        var kit = MappingTestKit.Shipped();
        await kit.KeyMap.LinkAsync(new KeyLink("woocommerce", "customer", "frappe.example", "1", "CUST-0007"));
        var order = MappingTestKit.Fixture("woocommerce/order-created.frappe-ecommerce-integrations-test.json");
        // 600 units at 10.00 with 14 % VAT included: the store keeps the net, 5263.16, and its unit price is not a whole cent.
        var line = order["line_items"]![0]!;
        line["quantity"] = 600;
        line["subtotal"] = "5263.16";
        line["total"] = "5263.16";
        line["total_tax"] = "736.84";

        var result = await kit.Mapper.ApplyAsync(Id, "woocommerce", order, null, Context("frappe.example"));

        Assert.True(result.Succeeded, string.Join("; ", result.Failed.Select(f => $"{f.Field}: {f.Reason}")));
        var mapped = Assert.Single(result.Document["lines"]!.AsArray())!;
        var rate = (decimal)mapped["rate"]!;
        Assert.Equal(8.771933m, rate);
        Assert.Equal(5263.16m, Math.Round(600 * rate, 2, MidpointRounding.AwayFromZero) - (decimal)mapped["discountAmount"]!);
    }

    [Fact]
    public async Task The_docs_order_maps_its_lines_and_shipping_and_reports_the_line_without_sku()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("woocommerce/order-created.wc-rest-docs-v3.json");

        var result = await kit.Mapper.ApplyAsync(Id, "woocommerce", order, null, Context("example.com"));

        // A guest order (customer_id 0) goes to the guest customer.
        var doc = result.Document.AsObject();
        Assert.Equal("WALK-IN", (string?)doc["customer"]);
        Assert.Equal("2017-03-22", (string?)doc["postingDate"]);
        Assert.Equal("Paid", (string?)doc["paymentStatus"]);
        Assert.Equal("WooCommerce order 727, Direct Bank Transfer", (string?)doc["remarks"]);

        // Product 93 has no SKU: the ERP cannot sell it, so that line fails and the order waits for a person.
        var failure = Assert.Single(result.Failed);
        Assert.Equal("lines[315].sku", failure.Field);
        Assert.Contains("required value missing", failure.Reason, StringComparison.Ordinal);

        var lines = doc["lines"]!.AsArray();
        Assert.Equal(3, lines.Count);
        var bar = lines.Single(l => (string?)l!["sourceLineId"] == "316")!;
        Assert.Equal("Bar3", (string?)bar["sku"]);
        Assert.Equal(1m, (decimal)bar["qty"]!);
        Assert.Equal(12m, (decimal)bar["rate"]!);
        Assert.Equal(7.5m, (decimal)bar["taxRate"]!); // 0.90 on 12.00
        Assert.Equal(0.90m, (decimal)bar["taxAmount"]!);
        var single = lines.Single(l => (string?)l!["sourceLineId"] == "315")!;
        Assert.Equal(3m, (decimal)single["rate"]!); // subtotal 6.00 for 2
        Assert.Equal(2m, (decimal)single["qty"]!);
        var shipping = lines.Single(l => (string?)l!["sourceLineId"] == "317")!.AsObject();
        Assert.Null(shipping["sku"]);
        Assert.Equal(10.00m, (decimal)shipping["rate"]!);
        Assert.Equal("Shipping: Flat Rate", (string?)shipping["description"]);
        Assert.Equal("4150", (string?)shipping["incomeAccount"]);
        Assert.Equal(0m, (decimal)shipping["taxRate"]!); // untaxed shipping, not the ERP default rate
        Assert.Equal(0m, (decimal)shipping["taxAmount"]!);
    }

    [Fact]
    public async Task Fees_are_charges_on_the_fee_account_and_prices_with_tax_still_map_net_lines()
    {
        var kit = MappingTestKit.Shipped();
        var order = MappingTestKit.Fixture("woocommerce/order-created.frappe-ecommerce-integrations-test.json").AsObject();
        order["prices_include_tax"] = true; // WooCommerce still keeps line totals net of tax
        order["fee_lines"] = new JsonArray(new JsonObject { ["id"] = 430, ["name"] = "Cash on delivery", ["total"] = "10.00", ["total_tax"] = "1.40" });

        var result = await kit.Mapper.ApplyAsync(Id, "woocommerce", order, null, Context("frappe.example"));

        var doc = result.Document.AsObject();
        Assert.False((bool)doc["taxesIncluded"]!);
        var fee = doc["lines"]!.AsArray().Single(l => (string?)l!["sourceLineId"] == "430")!.AsObject();
        Assert.Null(fee["sku"]);
        Assert.Equal(1m, (decimal)fee["qty"]!);
        Assert.Equal(10.00m, (decimal)fee["rate"]!);
        Assert.Equal(1.40m, (decimal)fee["taxAmount"]!);
        Assert.Equal("Fee: Cash on delivery", (string?)fee["description"]);
        Assert.Equal("4250", (string?)fee["incomeAccount"]);
    }
}
