using System.Globalization;
using System.Text.Json;
using Integration.EndToEnd.Tests.Shopify;
using static Integration.Simulators.WooCommerce.WooCommerceStoreState;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// WooCommerce refunds (reported only as order.updated) through <c>woocommerce-order-to-cash</c>: each becomes one
/// credit note for exactly what it refunds, with its GL, stock and money paid back, whatever the redeliveries.
/// The order: 2 x T-shirt (450.00 + 63.00 VAT), 1 x mug (120.00 + 16.80), shipping 50.00 + 7.00; 706.80 by card (1130).
/// </summary>
public sealed class RefundTests(WooCommerceStoreHost host) : IClassFixture<WooCommerceStoreHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_refund_of_one_shirt_and_the_shipping_is_one_credit_note_with_stock_back_however_often_it_is_delivered()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        var refund = host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 1, 1, 225m, 31.50m), new RefundItem(order.Id * 10 + 4, 0, 50m, 7m)], reason: "Too small");

        // The store reports the refund as order.updated (twice), and the reconciliation's copy comes too.
        // A copy dispatched in the same batch after the first one ran is superseded: the flow reads the order again anyway.
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2)));
        Assert.Equal("done", await host.SendAsync("order.updated", Simulators.WooCommerce.WooCommerceWebhookSender.Encode(host.Woo.State.Order(order.Id)!.AsObject())));

        var credit = Assert.Single(await ReturnsAsync(order.Id));
        Assert.Equal($"{order.Id}/refund/{(long)refund["id"]!}", credit.GetProperty("sourceId").GetString());
        Assert.Equal(invoice.GetProperty("id").GetInt64(), credit.GetProperty("againstId").GetInt64());
        Assert.Equal(275m, credit.GetProperty("netTotal").GetDecimal());
        Assert.Equal(38.50m, credit.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(313.50m, credit.GetProperty("grandTotal").GetDecimal());
        var lines = credit.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("TSHIRT-BLU-M", lines[0].GetProperty("sku").GetString());
        Assert.Equal(1m, lines[0].GetProperty("qty").GetDecimal());
        Assert.Equal(225m, lines[0].GetProperty("netAmount").GetDecimal());
        Assert.Equal(JsonValueKind.Null, lines[1].GetProperty("sku").ValueKind);
        Assert.Equal(50m, lines[1].GetProperty("netAmount").GetDecimal());

        var docNo = credit.GetProperty("docNo").GetString()!;
        var gl = await books.GlAsync(docNo);
        Assert.Equal(313.50m, ErpBooks.Credit(gl, "1150"));
        Assert.Equal(225m, ErpBooks.Debit(gl, "4100"));
        Assert.Equal(50m, ErpBooks.Debit(gl, "4200"));
        Assert.Equal(38.50m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(1m, await books.StockMovedAsync("TSHIRT-BLU-M", docNo));
        var paidBack = await books.GlAsync(docNo + "-REFUND");
        Assert.Equal(313.50m, ErpBooks.Credit(paidBack, "1130"));
        Assert.Equal(313.50m, ErpBooks.Debit(paidBack, "1150"));
        var outcomes = (await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()!).ToList();
        Assert.Contains(outcomes, o => o.EndsWith("; credited " + docNo, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_order_with_a_negative_fee_set_to_refunded_credits_each_line_at_what_it_was_invoiced()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order, edit: json => LoyaltyDiscount(order, json));
        Assert.Equal(684.00m, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("grandTotal").GetDecimal());
        host.Woo.State.SetOrderStatus(order.Id, "refunded");

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var credit = Assert.Single(await ReturnsAsync(order.Id));
        Assert.Equal(684.00m, credit.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(84.00m, credit.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(["TSHIRT-BLU-M", "MUG-WHT", ""], credit.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("sku").GetString() ?? "").ToArray());
        Assert.Equal("Returned", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());
        Assert.Equal(684.00m, ErpBooks.Credit(await books.GlAsync(credit.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
    }

    [Fact]
    public async Task A_line_of_an_order_with_a_negative_fee_refunded_at_its_list_price_credits_the_goods_at_what_they_were_invoiced_and_the_rest_as_money()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order, edit: json => LoyaltyDiscount(order, json));
        // The mug was invoiced at 115.79 + 16.21 VAT (its share of the loyalty discount); the merchant refunds its list price.
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)]);

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var credit = Assert.Single(await ReturnsAsync(order.Id));
        Assert.Equal(136.80m, credit.GetProperty("grandTotal").GetDecimal());
        var lines = credit.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal("MUG-WHT", lines[0].GetProperty("sku").GetString());
        Assert.Equal(115.79m, lines[0].GetProperty("netAmount").GetDecimal());
        Assert.Equal("Refunded above the price of Mug white", lines[1].GetProperty("description").GetString());
        Assert.Equal(136.80m, ErpBooks.Credit(await books.GlAsync(credit.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
    }

    // 706.80 less a loyalty discount of 20.00 + 2.80 VAT, as plugins add it: a fee line with negative amounts.
    private static void LoyaltyDiscount(WooOrderPayload order, System.Text.Json.Nodes.JsonObject json)
    {
        json["fee_lines"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = order.Id * 10 + 7, ["name"] = "Loyalty discount", ["tax_class"] = "", ["tax_status"] = "taxable", ["amount"] = "-20", ["total"] = "-20.00", ["total_tax"] = "-2.80",
            ["taxes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = 1, ["total"] = "-2.8", ["subtotal"] = "" }), ["meta_data"] = new System.Text.Json.Nodes.JsonArray(),
        });
        json["total"] = "684.00";
        json["total_tax"] = "84.00";
    }

    [Fact]
    public async Task Money_refunded_without_goods_is_credited_on_the_discrepancy_account_with_its_vat_and_no_stock()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        host.Woo.State.Refund(order.Id, [], amount: 114m, reason: "Late delivery");

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var credit = Assert.Single(await ReturnsAsync(order.Id));
        Assert.Equal(114m, credit.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(14m, credit.GetProperty("taxTotal").GetDecimal());
        var line = Assert.Single(credit.GetProperty("lines").EnumerateArray());
        Assert.Equal("Refund without goods: Late delivery", line.GetProperty("description").GetString());
        var gl = await books.GlAsync(credit.GetProperty("docNo").GetString()!);
        Assert.Equal(100m, ErpBooks.Debit(gl, "4300"));
        Assert.Equal(14m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(0m, ErpBooks.Debit(gl, "1160"));
    }

    [Fact]
    public async Task An_order_set_to_refunded_after_a_partial_refund_credits_the_rest_and_the_invoice_is_returned()
    {
        var order = new WooOrderPayload { PaymentMethod = "cod" };
        await host.OrderEventAsync("order.created", order);
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)]);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        host.Woo.State.SetOrderStatus(order.Id, "refunded");

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var credits = await ReturnsAsync(order.Id);
        Assert.Equal(2, credits.Count);
        Assert.Equal(136.80m, credits[0].GetProperty("grandTotal").GetDecimal());
        Assert.Equal(570m, credits[1].GetProperty("grandTotal").GetDecimal()); // 2 shirts 513.00 and shipping 57.00
        Assert.Equal(new[] { "TSHIRT-BLU-M", "" }, credits[1].GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("sku").GetString() ?? "").ToArray());
        Assert.Equal(0m, await books.StockMovedAsync("TSHIRT-BLU-M", credits[1].GetProperty("docNo").GetString()!)); // WooCommerce does not restock on Refunded
        Assert.Equal(1m, await books.StockMovedAsync("MUG-WHT", credits[0].GetProperty("docNo").GetString()!));
        Assert.Equal(706.80m, ErpBooks.Credit(await books.GlAsync(credits[1].GetProperty("docNo").GetString()!), "1150") + 136.80m);
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal("Returned", invoice.GetProperty("status").GetString());
        Assert.Equal(570m, ErpBooks.Credit(await books.GlAsync(credits[1].GetProperty("docNo").GetString()! + "-REFUND"), "1140"));
    }

    [Fact]
    public async Task An_order_cancelled_after_money_refunded_without_goods_is_credited_for_the_rest_and_no_more()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        host.Woo.State.Refund(order.Id, [], amount: 50m, reason: "Goodwill");
        host.Woo.State.SetOrderStatus(order.Id, "cancelled");

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var credits = await ReturnsAsync(order.Id);
        var cancelId = await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_id = @id",
            new { id = order.Id.ToString(CultureInfo.InvariantCulture) + "/cancel" });
        credits.Add(await host.GetJsonAsync($"/api/erp/sales-documents/{cancelId}"));
        Assert.Equal(2, credits.Count);
        Assert.Equal(50m, credits[0].GetProperty("grandTotal").GetDecimal());
        // The cancellation credits the goods and the shipping less the 50.00 already given back: 706.80 in all, as sold.
        Assert.Equal(656.80m, credits[1].GetProperty("grandTotal").GetDecimal());
        Assert.Equal(706.80m, credits.Sum(c => c.GetProperty("grandTotal").GetDecimal()));
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal("Returned", invoice.GetProperty("status").GetString());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        // The customer owes nothing and is owed nothing; the money went back once, 706.80 in all.
        Assert.Equal(0m, await books.SingleAsync<decimal>("""
            SELECT coalesce(sum(g.debit - g.credit), 0) FROM erp.gl_entry g
            WHERE g.account = '1150' AND (g.voucher_id IN (SELECT voucher_id FROM erp.sales_document WHERE id = @invoice OR against_id = @invoice) OR g.voucher_no = ANY (@refunds))
            """, new { invoice = invoice.GetProperty("id").GetInt64(), refunds = credits.Select(c => c.GetProperty("docNo").GetString()! + "-REFUND").ToArray() }));
        Assert.Equal(706.80m, ErpBooks.Credit(await books.GlAsync(credits[0].GetProperty("docNo").GetString()! + "-REFUND"), "1130")
            + ErpBooks.Credit(await books.GlAsync(credits[1].GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.Equal(1m, await books.StockMovedAsync("MUG-WHT", credits[1].GetProperty("docNo").GetString()!));
        Assert.DoesNotContain((await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray(),
            i => i.GetProperty("message").GetString()!.Contains(order.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_paid_order_cancelled_and_then_refunded_is_credited_once_by_its_cancellation_and_leaves_no_incident()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        host.Woo.State.SetOrderStatus(order.Id, "cancelled");
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));
        // Cancelling moves no money in WooCommerce: the merchant then refunds it there, the mug first, then the rest.
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)], reason: "Cancelled by the customer");
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));
        host.Woo.State.SetOrderStatus(order.Id, "refunded");

        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));

        Assert.Empty(await ReturnsAsync(order.Id));
        var cancellation = await host.GetJsonAsync("/api/erp/sales-documents/" + await books.SingleAsync<long>(
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_id = @id",
            new { id = order.Id.ToString(CultureInfo.InvariantCulture) + "/cancel" }));
        Assert.Equal(order.Total, cancellation.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(order.Total, ErpBooks.Credit(await books.GlAsync(cancellation.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.Equal(1m, await books.StockMovedAsync("MUG-WHT", cancellation.GetProperty("docNo").GetString()!));
        // Every run of the order finished: none faulted (an incident) on the refunds the cancellation had credited.
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_refund_of_an_order_the_erp_never_booked_raises_an_incident_and_posts_nothing()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        host.Woo.State.PutCustomer(order.Customer());
        host.Woo.State.PutOrder(order.Order());
        host.Woo.State.Refund(order.Id, [], amount: 50m);
        host.Woo.State.SetOrderStatus(order.Id, "cancelled");

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        Assert.Empty(await ReturnsAsync(order.Id));
        JsonElement incident = default;
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            incident = (await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray()
                .FirstOrDefault(i => i.GetProperty("message").GetString()!.Contains($"Order {order.Id} of {WooCommerceStoreHost.Store} was cancelled before the ERP booked it", StringComparison.Ordinal));
            return incident.ValueKind == JsonValueKind.Object;
        }, "the order's incident");
        // Money paid back that the books never received: a person books it.
        Assert.Contains("money moved: paid 0.00, refunded 50.00", incident.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restocked_refund_after_one_that_was_not_puts_its_units_back_in_stock()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var before = await books.ActualAsync("TSHIRT-BLU-M");

        // One shirt refunded without restocking, credited; then the other, restocked.
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 1, 1, 225m, 31.50m)], restock: false);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        Assert.Equal(before, await books.ActualAsync("TSHIRT-BLU-M"));
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 1, 1, 225m, 31.50m)], restock: true);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        // The store counts one unit restocked on the line. Before, it was given to the oldest refund (credited already,
        // without stock), and the second credit note put nothing back: the ERP stayed a unit short of the store.
        var credits = await ReturnsAsync(order.Id);
        Assert.Equal(2, credits.Count);
        Assert.Equal(0m, await books.StockMovedAsync("TSHIRT-BLU-M", credits[0].GetProperty("docNo").GetString()!));
        Assert.Equal(1m, await books.StockMovedAsync("TSHIRT-BLU-M", credits[1].GetProperty("docNo").GetString()!));
        Assert.Equal(before + 1, await books.ActualAsync("TSHIRT-BLU-M"));
    }

    private async Task<List<JsonElement>> ReturnsAsync(long orderId)
    {
        await using var connection = await host.OpenAsync();
        var ids = await Dapper.SqlMapper.QueryAsync<long>(connection,
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix ORDER BY id",
            new { WooCommerceStoreHost.Store, prefix = orderId.ToString(CultureInfo.InvariantCulture) + "/refund/%" });
        var documents = new List<JsonElement>();
        foreach (var id in ids)
        {
            documents.Add(await host.GetJsonAsync($"/api/erp/sales-documents/{id}"));
        }

        return documents;
    }
}
