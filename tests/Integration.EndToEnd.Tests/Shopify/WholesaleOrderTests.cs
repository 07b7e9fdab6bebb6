namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A wholesale order of 150 lines, more than one answer of Shopify's order read holds: the order flow reads the rest
/// of its lines page by page and invoices every one (its own host, so its stock does not starve other tests).
/// </summary>
public sealed class WholesaleOrderTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private static readonly string[] Skus = ["TSHIRT-BLU-M", "MUG-WHT", "CAP-BLK"];

    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task An_order_of_150_lines_is_invoiced_for_all_150_and_its_shipping()
    {
        var order = new ShopifyOrderPayload
        {
            Lines = [.. Enumerable.Range(0, 150).Select(i => (7_100_000_000_000L + i, Skus[i % 3], 1, 10.00m, 0m))],
        };

        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var lines = invoice.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(151, lines.Count);
        Assert.Equal(150, lines.Count(l => l.GetProperty("sku").GetString() is not null));
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal()); // 1,500 + 210 VAT + shipping 57
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        Assert.Equal(-50m, await books.StockMovedAsync("CAP-BLK", invoice.GetProperty("docNo").GetString()!));
        Assert.True(host.Shopify.Ran("OrderLineItems") >= 1);
    }
}
