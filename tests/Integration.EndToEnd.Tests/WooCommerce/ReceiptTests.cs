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

    private async Task<List<JsonElement>> ReceiptsOfAsync(string documentNo) =>
        [.. (await host.GetJsonAsync($"/api/eta/receipts?documentNo={Uri.EscapeDataString(documentNo)}")).GetProperty("items").EnumerateArray()];
}
