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
        var sale = Assert.Single(await host.ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
        Assert.Equal("s", sale.GetProperty("receiptType").GetString());
        Assert.Equal(order.Total, sale.GetProperty("totalAmount").GetDecimal());
        Assert.Equal("woocommerce/" + WooCommerceStoreHost.Store, sale.GetProperty("store").GetString());
        var creditNo = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_id LIKE @prefix",
            new { prefix = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/refund/%" });
        var returned = Assert.Single(await host.ReceiptsOfAsync(creditNo));
        Assert.Equal("r", returned.GetProperty("receiptType").GetString());
        Assert.Equal(136.80m, returned.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("previousUuid").GetString());
    }

    [Fact]
    public async Task Money_refunded_without_goods_on_an_order_with_an_exempt_line_reverses_vat_only_on_the_taxed_share_on_its_return_receipt()
    {
        // The mug is exempt: 690.00 of which 570.00 bore 14 % (T-shirts and shipping, 70.00 of VAT) and 120.00 none.
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order, edit: json =>
        {
            var mug = (System.Text.Json.Nodes.JsonObject)json["line_items"]![1]!;
            mug["subtotal_tax"] = "0.00";
            mug["total_tax"] = "0.00";
            mug["taxes"] = new System.Text.Json.Nodes.JsonArray();
            json["total_tax"] = "70.00";
            json["total"] = "690.00";
            json["tax_lines"]![0]!["tax_total"] = "63.00";
        });
        host.Woo.State.Refund(order.Id, [], amount: 69m, reason: "Late delivery");
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var creditNo = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_id LIKE @prefix",
            new { prefix = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/refund/%" });
        var gl = await books.GlAsync(creditNo);
        // 69.00 shared as sold: 57.00 at 14 % (50.00 + 7.00 of VAT) and 12.00 exempt; 14 % of all 69.00 would be 8.47.
        Assert.Equal(7m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(62m, ErpBooks.Debit(gl, "4300"));
        var returned = Assert.Single(await host.ReceiptsOfAsync(creditNo));
        var body = (await host.GetJsonAsync($"/api/eta/receipts/{returned.GetProperty("id").GetInt64()}")).GetProperty("body");
        Assert.Equal(69m, body.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(7m, body.GetProperty("taxTotals").EnumerateArray().Sum(t => t.GetProperty("amount").GetDecimal()));
        Assert.Equal(2, body.GetProperty("itemData").GetArrayLength());
    }

    [Fact]
    public async Task An_order_cancelled_after_its_invoice_is_credited_once_with_stock_back_and_one_return_receipt_referencing_the_sale()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        var processing = host.Woo.Webhooks.Payload("order.created", order.Id)!;
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        var sale = Assert.Single(await host.ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
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
        var returned = Assert.Single(await host.ReceiptsOfAsync(creditNo));
        Assert.Equal("r", returned.GetProperty("receiptType").GetString());
        Assert.Equal(order.Total, returned.GetProperty("totalAmount").GetDecimal());
        Assert.Equal(sale.GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Single(await host.ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
    }

    [Fact]
    public async Task An_invoiced_order_cancelled_and_set_back_to_processing_is_invoiced_again_once_with_its_own_receipt_and_a_second_cancel_credits_that()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        var sale = Assert.Single(await host.ReceiptsOfAsync(invoice.GetProperty("docNo").GetString()!));
        var sold = await books.ActualAsync("TSHIRT-BLU-M");

        // Cancelled (credited, stock back), then the merchant sets it back to processing: the store takes its stock again.
        var cairo = TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo");
        DateTime CairoDayOfCancel() => TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddMinutes(1), cairo).Date;
        var cancelDays = new HashSet<DateTime> { CairoDayOfCancel() };
        await StatusAsync(order, "cancelled", minutes: 1);
        cancelDays.Add(CairoDayOfCancel());
        Assert.Equal(sold + 2, await books.ActualAsync("TSHIRT-BLU-M"));
        await StatusAsync(order, "processing", minutes: 2, copies: 2);

        var id = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var again = await books.SingleAsync<long>(
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'woocommerce' AND source_store = @Store AND source_id = @id",
            new { WooCommerceStoreHost.Store, id = id + ":again:1" });
        var againInvoice = await host.GetJsonAsync($"/api/erp/sales-documents/{again}");
        Assert.Equal(order.Total, againInvoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0m, againInvoice.GetProperty("outstanding").GetDecimal()); // paid, as the order is
        // Paid on 24 November and cancelled today (Cairo's day: near midnight UTC it is tomorrow there): the sale made again
        // is that day's, not dated before the credit that took the goods back.
        var creditedOn = await books.SingleAsync<DateTime>(
            "SELECT posting_date FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id = @source",
            new { WooCommerceStoreHost.Store, source = id + "/cancel" });
        Assert.Contains(creditedOn.Date, cancelDays);
        Assert.Equal(creditedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), againInvoice.GetProperty("postingDate").GetString());
        Assert.Equal(sold, await books.ActualAsync("TSHIRT-BLU-M"));
        Assert.Equal(2, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'woocommerce' AND source_store = @Store AND (source_id = @id OR source_id LIKE @prefix)",
            new { WooCommerceStoreHost.Store, id, prefix = id + ":%" }));
        var resale = Assert.Single(await host.ReceiptsOfAsync(againInvoice.GetProperty("docNo").GetString()!));
        Assert.Equal("s", resale.GetProperty("receiptType").GetString());
        Assert.Equal(order.Total, resale.GetProperty("totalAmount").GetDecimal());
        Assert.NotEqual(sale.GetProperty("uuid").GetString(), resale.GetProperty("uuid").GetString());

        // Cancelled again: the invoice made again is credited, once, and its return receipt references the sale made again.
        await StatusAsync(order, "cancelled", minutes: 3, copies: 2);
        Assert.Equal(sold + 2, await books.ActualAsync("TSHIRT-BLU-M"));
        var secondCredit = await books.SingleAsync<string>(
            "SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id = @source",
            new { WooCommerceStoreHost.Store, source = id + ":again:1/cancel" });
        var returned = Assert.Single(await host.ReceiptsOfAsync(secondCredit));
        Assert.Equal(resale.GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Equal(2, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = id + "%" }));
        Assert.Equal(2, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'woocommerce' AND source_store = @Store AND (source_id = @id OR source_id LIKE @prefix)",
            new { WooCommerceStoreHost.Store, id, prefix = id + ":%" }));
    }

    [Fact]
    public async Task A_refund_of_an_order_invoiced_again_credits_the_invoice_made_again_money_without_goods_included()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        await StatusAsync(order, "cancelled", minutes: 1);
        await StatusAsync(order, "processing", minutes: 2);
        var id = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var again = await books.SingleAsync<long>(
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'woocommerce' AND source_store = @Store AND source_id = @source",
            new { WooCommerceStoreHost.Store, source = id + ":again:1" });

        // One shirt back and 10.00 more than it (money without goods, on the first credit note): before, that amount went
        // to the order's first invoice, which the cancellation had returned, and the refund was refused for good.
        var refund = host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 1, 1, 225m, 31.50m)], amount: 266.50m);
        await StatusAsync(order, "processing", minutes: 3); // the refund's order.updated, stamped after the changes above

        var notes = await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix AND against_id = @again",
            new { WooCommerceStoreHost.Store, prefix = $"{id}/refund/{(long)refund["id"]!}%", again });
        Assert.Equal(1, notes);
        Assert.Equal(266.50m, await books.SingleAsync<decimal>(
            "SELECT sum(grand_total) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = $"{id}/refund/%" }));
    }

    [Fact]
    public async Task An_order_refunded_in_part_then_cancelled_and_set_back_to_processing_is_an_incident_not_billed_twice()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)]);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        await StatusAsync(order, "cancelled", minutes: 1);
        await StatusAsync(order, "processing", minutes: 2);

        // The store's order still lists the mug it refunded: invoiced again, it would be billed twice.
        JsonElement incident = default;
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            incident = (await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray()
                .FirstOrDefault(i => i.GetProperty("message").GetString()!.Contains($"order {order.Id} of {WooCommerceStoreHost.Store} is active again", StringComparison.Ordinal));
            return incident.ValueKind == JsonValueKind.Object;
        }, "the order's incident");
        Assert.Contains("refunds were credited before it", incident.GetProperty("message").GetString(), StringComparison.Ordinal);
        var id = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(0, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = id + ":again:%" }));
    }

    // Each change a minute after the last (the store's clock is the real one): the host books only newer versions.
    private async Task StatusAsync(WooOrderPayload order, string status, int minutes, int copies = 1)
    {
        host.Woo.State.SetOrderStatus(order.Id, status, DateTimeOffset.UtcNow.AddMinutes(minutes));
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies));
    }
}
