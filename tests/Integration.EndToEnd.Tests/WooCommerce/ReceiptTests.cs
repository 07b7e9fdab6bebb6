using System.Text.Json;
using Integration.EndToEnd.Tests.Shopify;
using static Integration.Simulators.WooCommerce.WooCommerceStoreState;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>ETA e-receipts of WooCommerce orders: one sale receipt per invoice and one return receipt per refund, chained on the store's POS device.</summary>
public sealed class ReceiptTests(WooEtaStoreHost host) : IClassFixture<WooEtaStoreHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_sale_gets_one_receipt_and_its_refund_one_return_receipt_that_references_it()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order, copies: 2);
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)]);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2));

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        var sale = Assert.Single(await ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
        Assert.Equal("s", sale.GetProperty("receiptType").GetString());
        Assert.Equal(order.Total, sale.GetProperty("totalAmount").GetDecimal());
        Assert.Equal("woocommerce/" + WooCommerceStoreHost.Store, sale.GetProperty("store").GetString());
        var creditNo = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_id LIKE @prefix",
            new { prefix = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/refund/%" });
        var returned = Assert.Single(await ReceiptsOfAsync(creditNo));
        Assert.Equal("r", returned.GetProperty("receiptType").GetString());
        Assert.Equal(136.80m, returned.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("previousUuid").GetString());
    }

    [Fact]
    public async Task An_order_cancelled_after_its_invoice_is_credited_once_with_stock_back_and_one_return_receipt_referencing_the_sale()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        var processing = host.Woo.Webhooks.Payload("order.created", order.Id)!;
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        var sale = Assert.Single(await ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
        var stockBefore = await books.ActualAsync("TSHIRT-BLU-M");

        // Cancelled in the store: the webhook comes twice, then the old order.created payload (processing) arrives late.
        host.Woo.State.SetOrderStatus(order.Id, "cancelled");
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2));
        await host.SendAsync("order.created", processing);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var creditNos = (await books.SingleAsync<string>(
            "SELECT string_agg(doc_no, ',') FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "%" })).Split(',');
        var creditNo = Assert.Single(creditNos);
        Assert.Equal(stockBefore + 2, await books.ActualAsync("TSHIRT-BLU-M"));
        Assert.Equal(2m, await books.StockMovedAsync("TSHIRT-BLU-M", creditNo));
        Assert.Equal(order.Total, ErpBooks.Credit(await books.GlAsync(creditNo + "-REFUND"), "1140"));
        Assert.Equal("Returned", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());
        var returned = Assert.Single(await ReceiptsOfAsync(creditNo));
        Assert.Equal("r", returned.GetProperty("receiptType").GetString());
        Assert.Equal(order.Total, returned.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Single(await ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
    }

    private async Task<List<JsonElement>> ReceiptsOfAsync(string documentNo) =>
        [.. (await host.GetJsonAsync($"/api/eta/receipts?documentNo={Uri.EscapeDataString(documentNo)}")).GetProperty("items").EnumerateArray()];
}
