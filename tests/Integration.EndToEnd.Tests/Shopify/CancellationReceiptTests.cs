using System.Globalization;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Eta;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>A Shopify order cancelled after its invoice: the credit note of <c>shopify-order-to-cash</c> gets its ETA return receipt.</summary>
public sealed class CancellationReceiptTests(EtaStoreHost host) : IClassFixture<EtaStoreHost>
{
    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task An_order_cancelled_after_its_invoice_is_credited_once_with_stock_back_and_one_return_receipt_referencing_the_sale()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var invoiceNo = invoice.GetProperty("docNo").GetString()!;
        var sale = Assert.Single(await host.ReceiptsOfAsync(invoiceNo));
        var stockBefore = await books.ActualAsync("TSHIRT-BLU-M");

        // Cancelled in the admin (with the money refunded): the webhook comes twice, then the old orders/create arrives late.
        var cancelled = JsonNode.Parse(order.Json())!;
        cancelled["cancelled_at"] = "2026-11-24T12:00:00+02:00";
        cancelled["cancel_reason"] = "customer";
        cancelled["financial_status"] = "refunded";
        cancelled["updated_at"] = "2026-11-24T12:00:00+02:00";
        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", cancelled.ToJsonString()));
        // The copy carries the order as the first one's run found it.
        Assert.Equal("superseded", await host.DeliverAsync("orders/cancelled", cancelled.ToJsonString()));
        // The late orders/create is older than the cancellation whose run read the order again: it is not run.
        Assert.Equal("superseded", await host.DeliverAsync("orders/create", order.Json()));

        var creditNo = await books.SingleAsync<string>(
            "SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'shopify' AND source_store = @Store AND source_id LIKE @prefix",
            new { ShopifyStoreHost.Store, prefix = order.Id.ToString(CultureInfo.InvariantCulture) + "%" });
        Assert.Equal(stockBefore + 2, await books.ActualAsync("TSHIRT-BLU-M"));
        Assert.Equal(2m, await books.StockMovedAsync("TSHIRT-BLU-M", creditNo));
        Assert.Equal(order.Total, ErpBooks.Credit(await books.GlAsync(creditNo + "-REFUND"), "1130"));
        Assert.Equal("Returned", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("status").GetString());

        var returned = Assert.Single(await host.ReceiptsOfAsync(creditNo));
        Assert.Equal("r", returned.GetProperty("receiptType").GetString());
        Assert.Equal(order.Total, returned.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Single(await host.ReceiptsOfAsync(invoiceNo));

        await host.SettleAsync(invoiceNo, creditNo);
        Assert.Equal("Valid", (await host.ReceiptAsync(returned.GetProperty("id").GetInt64())).GetProperty("state").GetString());
        Assert.Empty(host.Eta.ReceiptUuidsSubmittedMoreThanOnce);
        var runs = (await host.OrderRunsAsync(order.Id)).Where(r => r.GetProperty("definitionId").GetString() == "shopify-order-to-cash").ToList();
        Assert.All(runs, r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Contains(runs, r => r.GetProperty("output").GetProperty("outcome").GetString() == "Credited");
    }
}
