using System.Net;

namespace Integration.Erp.Tests.Items;

public sealed class ItemTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Sku_and_barcode_are_unique()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "A-1", name = "A", barcodes = new[] { "6221234567890" } });

        var (sku, skuProblem) = await erp.PostAsync("/api/erp/items", new { company, sku = "A-1", name = "Again" });
        var (barcode, barcodeProblem) = await erp.PostAsync("/api/erp/items", new { company, sku = "A-2", name = "B", barcodes = new[] { "6221234567890" } });

        Assert.Equal(HttpStatusCode.Conflict, sku);
        Assert.Equal("duplicate-sku", skuProblem.GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Conflict, barcode);
        Assert.Equal("duplicate-barcode", barcodeProblem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Variants_need_a_declared_value_for_each_attribute_of_their_template()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "TEE", name = "T-shirt", isTemplate = true, isStockItem = false,
            attributes = new { size = new[] { "S", "M", "L" }, color = new[] { "Black", "White" } } });

        var (ok, variant) = await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-M-BLK", name = "T-shirt M black", templateSku = "TEE", attributes = new { size = "M", color = "Black" } });
        var (bad, problem) = await erp.PostAsync("/api/erp/items", new { company, sku = "TEE-XL-BLK", name = "T-shirt XL", templateSku = "TEE", attributes = new { size = "XL", color = "Black" } });

        Assert.Equal(HttpStatusCode.Created, ok);
        Assert.Equal("TEE", variant.GetProperty("templateSku").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Equal("invalid-variant-attribute", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task An_item_on_hold_offers_nothing_to_the_stores_and_the_change_reaches_the_outbox()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "HOLD-1", name = "Held" });
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose = "Receipt", postingDate = ErpHost.On(2, 2), lines = new[] { new { sku = "HOLD-1", qty = 7, rate = 5, warehouse = "MAIN-WH" } } });

        var (status, item) = await erp.PostAsync($"/api/erp/items/HOLD-1/status?company={company}", new { status = "On hold" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("On hold", item.GetProperty("status").GetString());
        var balance = Assert.Single((await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku=HOLD-1")).EnumerateArray());
        Assert.Equal(7m, balance.GetProperty("actualQty").GetDecimal());
        Assert.Equal(0m, balance.GetProperty("availableToPromise").GetDecimal());
        Assert.Equal(1, await erp.CountAsync(
            "SELECT count(*) FROM integration.outbox WHERE company = @company AND topic = 'erp.item.changed' AND payload->>'status' = 'On hold'", new { company }));
    }
}
