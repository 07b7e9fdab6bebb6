using System.Text.Json;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Reorder;

public sealed class ReorderTests(ErpHost erp) : IClassFixture<ErpHost>
{
    [Fact]
    public async Task Falling_below_the_reorder_level_raises_exactly_one_purchase_request_until_it_is_fulfilled()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "SOAP", name = "Soap" });
        await erp.PostAsync("/api/erp/reorder-rules", new { company, sku = "SOAP", warehouse = "MAIN-WH", level = 10m, qty = 50m });
        await Stock(company, "Receipt", 20, 5m);

        await Stock(company, "Issue", 8);   // 12 left: above the level
        await Stock(company, "Issue", 5);   // 7: below, one request
        await Stock(company, "Issue", 2);   // 5: still below, no second request
        var open = await RequestsAsync(company);
        await Stock(company, "Receipt", 50, 5m); // 55: back above, fulfilled
        await Stock(company, "Issue", 50);  // 5: below again, a new request

        var all = await RequestsAsync(company);
        var first = Assert.Single(open);
        Assert.Equal("Open", first.GetProperty("status").GetString());
        Assert.Equal(50m, first.GetProperty("qty").GetDecimal());
        Assert.Equal(["Fulfilled", "Open"], all.Select(r => r.GetProperty("status").GetString()));
    }

    private async Task Stock(string company, string purpose, int qty, decimal? rate = null) =>
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose, postingDate = On(3, 3), lines = new[] { new { sku = "SOAP", qty, rate, warehouse = "MAIN-WH" } } });

    private async Task<List<JsonElement>> RequestsAsync(string company) =>
        [.. (await erp.GetJsonAsync($"/api/erp/purchase-requests?company={company}&sku=SOAP")).EnumerateArray()];
}
