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

    [Fact]
    public async Task A_purchase_order_counts_as_ordered_until_received_and_answers_the_request()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "SOAP", name = "Soap" });
        await erp.PostAsync("/api/erp/reorder-rules", new { company, sku = "SOAP", warehouse = "MAIN-WH", level = 10m, qty = 50m });
        await Stock(company, "Receipt", 4, 5m);
        var request = Assert.Single(await RequestsAsync(company));

        var (created, order) = await erp.PostAsync("/api/erp/purchase-orders", new
        {
            company, supplier = "Nile Soap Co.", orderDate = On(3, 4), purchaseRequestId = request.GetProperty("id").GetInt64(),
            lines = new[] { new { sku = "SOAP", warehouse = "MAIN-WH", qty = 50m, rate = 4.5m } },
        });
        var ordered = await BalanceAsync(company);
        var (_, partly) = await erp.PostAsync($"/api/erp/purchase-orders/{order.GetProperty("id").GetInt64()}/receive", new { company, date = On(3, 10), lines = new[] { new { lineNo = 1, qty = 30m } } });
        var (_, all) = await erp.PostAsync($"/api/erp/purchase-orders/{order.GetProperty("id").GetInt64()}/receive", new { company, date = On(3, 11), lines = new[] { new { lineNo = 1, qty = 20m } } });
        var received = await BalanceAsync(company);

        Assert.Equal(System.Net.HttpStatusCode.Created, created);
        Assert.Equal("Fulfilled", Assert.Single(await RequestsAsync(company)).GetProperty("status").GetString());
        Assert.Equal((4m, 50m, 54m), ordered);
        Assert.Equal("Open", partly.GetProperty("status").GetString());
        Assert.Equal("Received", all.GetProperty("status").GetString());
        Assert.Equal((54m, 0m, 54m), received);
    }

    [Fact]
    public async Task Receipts_of_one_order_at_once_never_take_more_than_was_ordered_and_a_retry_receives_nothing_twice()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "SOAP", name = "Soap" });
        var (_, order) = await erp.PostAsync("/api/erp/purchase-orders", new
        {
            company, supplier = "Nile Soap Co.", orderDate = On(3, 4), lines = new[] { new { sku = "SOAP", warehouse = "MAIN-WH", qty = 50m, rate = 4.5m } },
        });
        var path = $"/api/erp/purchase-orders/{order.GetProperty("id").GetInt64()}/receive";
        // One receipt naming the line twice counts both.
        var (twice, _) = await erp.PostAsync(path, new { company, date = On(3, 9), lines = new[] { new { lineNo = 1, qty = 30m }, new { lineNo = 1, qty = 30m } } });
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, twice);

        // Two clerks receive 30 each at the same moment (different days, so neither is the other's retry).
        var answers = await Task.WhenAll(
            erp.PostAsync(path, new { company, date = On(3, 10), lines = new[] { new { lineNo = 1, qty = 30m } } }),
            erp.PostAsync(path, new { company, date = On(3, 11), lines = new[] { new { lineNo = 1, qty = 30m } } }));
        // The winner's request sent again, as a client whose answer was lost would.
        var won = On(3, answers[0].Status == System.Net.HttpStatusCode.OK ? 10 : 11);
        var (_, retried) = await erp.PostAsync(path, new { company, date = won, lines = new[] { new { lineNo = 1, qty = 30m } } });

        Assert.Single(answers, a => a.Status == System.Net.HttpStatusCode.OK);
        Assert.Equal("receipt-exceeds-order", Assert.Single(answers, a => a.Status != System.Net.HttpStatusCode.OK).Body.GetProperty("type").GetString());
        Assert.Equal((30m, 20m, 50m), await BalanceAsync(company));
        Assert.Equal(30m, retried.GetProperty("lines")[0].GetProperty("receivedQty").GetDecimal());
        Assert.Equal(1, await erp.CountAsync("SELECT count(*) FROM erp.voucher WHERE company = @company AND voucher_type = 'Stock Entry'", new { company }));
    }

    [Fact]
    public async Task Two_equal_deliveries_on_one_day_with_their_own_notes_are_both_received_and_a_note_sent_again_is_a_retry()
    {
        var company = await erp.NewCompanyAsync();
        await erp.PostAsync("/api/erp/items", new { company, sku = "SOAP", name = "Soap" });
        var (_, order) = await erp.PostAsync("/api/erp/purchase-orders", new
        {
            company, supplier = "Nile Soap Co.", orderDate = On(3, 4), lines = new[] { new { sku = "SOAP", warehouse = "MAIN-WH", qty = 10m, rate = 4.5m } },
        });
        var path = $"/api/erp/purchase-orders/{order.GetProperty("id").GetInt64()}/receive";

        var (first, _) = await erp.PostAsync(path, new { company, date = On(3, 10), deliveryNote = "DN-1001", lines = new[] { new { lineNo = 1, qty = 5m } } });
        var (second, _) = await erp.PostAsync(path, new { company, date = On(3, 10), deliveryNote = "DN-1002", lines = new[] { new { lineNo = 1, qty = 5m } } });
        var (again, all) = await erp.PostAsync(path, new { company, date = On(3, 10), deliveryNote = "DN-1002", lines = new[] { new { lineNo = 1, qty = 5m } } });

        Assert.Equal((System.Net.HttpStatusCode.OK, System.Net.HttpStatusCode.OK, System.Net.HttpStatusCode.OK), (first, second, again));
        Assert.Equal("Received", all.GetProperty("status").GetString());
        Assert.Equal((10m, 0m, 10m), await BalanceAsync(company));
        Assert.Equal(2, await erp.CountAsync("SELECT count(*) FROM erp.voucher WHERE company = @company AND voucher_type = 'Stock Entry'", new { company }));
    }

    private async Task<(decimal Actual, decimal Ordered, decimal Projected)> BalanceAsync(string company)
    {
        var bin = Assert.Single((await erp.GetJsonAsync($"/api/erp/stock-balances?company={company}&sku=SOAP")).EnumerateArray());
        return (bin.GetProperty("actualQty").GetDecimal(), bin.GetProperty("orderedQty").GetDecimal(), bin.GetProperty("projectedQty").GetDecimal());
    }

    private async Task Stock(string company, string purpose, int qty, decimal? rate = null) =>
        await erp.PostAsync("/api/erp/stock-entries", new { company, purpose, postingDate = On(3, 3), lines = new[] { new { sku = "SOAP", qty, rate, warehouse = "MAIN-WH" } } });

    private async Task<List<JsonElement>> RequestsAsync(string company) =>
        [.. (await erp.GetJsonAsync($"/api/erp/purchase-requests?company={company}&sku=SOAP")).EnumerateArray()];
}
