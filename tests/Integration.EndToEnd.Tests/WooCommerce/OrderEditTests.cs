using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Shopify;
using static Integration.Simulators.WooCommerce.WooCommerceStoreState;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// A paid WooCommerce order edited in the admin (put on hold, items added or removed, recalculated, set back to
/// processing). The first invoice, reported to the tax authority, stays as it is: units an edit added are invoiced on
/// their own, units it removed are credited, each once, with stock and an ETA receipt; the refund of a removed line's
/// money pays the customer's credit back rather than crediting the goods twice.
/// The order: 2 x T-shirt (450.00 + 63.00 VAT), 1 x mug (120.00 + 16.80), shipping 50.00 + 7.00; 706.80 by card (1130).
/// </summary>
public sealed class OrderEditTests(WooEtaStoreHost host) : IClassFixture<WooEtaStoreHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_line_an_edit_added_to_a_paid_order_is_invoiced_on_its_own_once_paid_with_its_stock_and_receipt()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var mugs = await books.ActualAsync("MUG-WHT");

        // Edited while on hold: nothing is booked until the order is processing again.
        Assert.Equal(["done"], await host.OrderEventAsync("order.updated", order, edit: json => { AddMug(order, json); json["status"] = "on-hold"; }));
        Assert.Equal(0, await AddedInvoicesAsync(order));
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.OrderEventAsync("order.updated", order, edit: json => AddMug(order, json), copies: 2));

        var added = await SourceDocumentAsync("Sales Invoice", order.Id + ":added:1");
        Assert.Equal(1, await AddedInvoicesAsync(order));
        Assert.Equal(136.80m, added.GetProperty("grandTotal").GetDecimal());
        Assert.Equal("Paid", added.GetProperty("status").GetString());
        var addedNo = added.GetProperty("docNo").GetString()!;
        Assert.Equal(-1m, await books.StockMovedAsync("MUG-WHT", addedNo));
        Assert.Equal(mugs - 1, await books.ActualAsync("MUG-WHT"));
        Assert.Equal(order.Total, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("grandTotal").GetDecimal());
        var receipt = Assert.Single(await host.ReceiptsOfAsync(addedNo));
        Assert.Equal("s", receipt.GetProperty("receiptType").GetString());
        var outcomes = (await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()).ToList();
        Assert.Contains(outcomes, o => o!.Contains("; units an edit added invoiced on " + addedNo, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invoiced_order_put_on_hold_and_edited_reserves_the_units_added_credits_a_refund_made_meanwhile_and_invoices_the_units_once_processing_again()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var invoiceNo = (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("docNo").GetString()!;
        var reserved = await books.ReservedAsync("MUG-WHT");

        // On hold with a second mug: not invoiced while the order waits, but reserved, so no other order takes it.
        Assert.Equal(["done"], await host.OrderEventAsync("order.updated", order, edit: json => { AddMug(order, json); json["status"] = "on-hold"; }));
        Assert.Equal(0, await AddedInvoicesAsync(order));
        var reservation = await SourceDocumentAsync("Sales Order", order.Id + ":added:1");
        Assert.Equal("Open", reservation.GetProperty("status").GetString());
        Assert.Equal(reserved + 1, await books.ReservedAsync("MUG-WHT"));
        var reservationNo = reservation.GetProperty("docNo").GetString()!;
        Assert.Contains(await OutcomesAsync(order), o => o == $"invoiced {invoiceNo} before; units an edit added reserved on {reservationNo} until the order is paid for them");

        // A T-shirt refunded while the order is on hold is credited at once, not when its status next changes.
        host.Woo.State.Refund(order.Id, [new RefundItem(order.Id * 10 + 1, 1, 225m, 31.50m)], reason: "Too small");
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        var credit = await RefundCreditAsync(order);
        Assert.Equal(256.50m, credit.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(reserved + 1, await books.ReservedAsync("MUG-WHT"));

        // Processing again: the mug is invoiced on its own, paid, and its reservation completed; the refund is not credited again.
        host.Woo.State.SetOrderStatus(order.Id, "processing");
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2)));

        Assert.Equal(1, await AddedInvoicesAsync(order));
        var added = await SourceDocumentAsync("Sales Invoice", order.Id + ":added:1");
        Assert.Equal((136.80m, "Paid"), (added.GetProperty("grandTotal").GetDecimal(), added.GetProperty("status").GetString()));
        Assert.Equal("Completed", (await SourceDocumentAsync("Sales Order", order.Id + ":added:1")).GetProperty("status").GetString());
        Assert.Equal(reserved, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal(credit.GetProperty("docNo").GetString(), (await RefundCreditAsync(order)).GetProperty("docNo").GetString());
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task An_invoiced_order_put_on_hold_with_a_unit_added_and_then_deleted_for_good_releases_that_unit_and_stays_invoiced()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var reserved = await books.ReservedAsync("MUG-WHT");
        await host.OrderEventAsync("order.updated", order, edit: json => { AddMug(order, json); json["status"] = "on-hold"; });
        Assert.Equal(reserved + 1, await books.ReservedAsync("MUG-WHT"));

        Assert.True(host.Woo.State.DeleteOrder(order.Id));
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.deleted", order.Id));

        Assert.Equal(reserved, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal("Cancelled", (await SourceDocumentAsync("Sales Order", order.Id + ":added:1")).GetProperty("status").GetString());
        Assert.Equal("Paid", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_invoiced_order_put_on_hold_with_a_unit_added_and_then_trashed_releases_that_unit_unpaid_and_reserves_it_again_when_restored()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var reserved = await books.ReservedAsync("MUG-WHT");
        await host.OrderEventAsync("order.updated", order, edit: json => { AddMug(order, json); json["status"] = "on-hold"; });
        Assert.Equal(reserved + 1, await books.ReservedAsync("MUG-WHT"));

        // Trashed: it was paid once (date_paid), but never for the mug: the mug is not invoiced as paid, and let go.
        Assert.Equal(["done"], await host.OrderEventAsync("order.deleted", order, edit: json => { AddMug(order, json); json["status"] = "trash"; }));

        Assert.Equal(reserved, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal("Cancelled", (await SourceDocumentAsync("Sales Order", order.Id + ":added:1")).GetProperty("status").GetString());
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_id LIKE @added", new { added = order.Id + ":added%" }));
        Assert.Equal("Paid", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());

        host.Woo.State.SetOrderStatus(order.Id, "on-hold", DateTimeOffset.UtcNow.AddSeconds(10));
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.restored", order.Id)));
        Assert.Equal(reserved + 1, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal("Open", (await SourceDocumentAsync("Sales Order", order.Id + ":added:1")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_line_removed_on_hold_and_its_money_refunded_before_processing_again_is_credited_once_and_the_refund_pays_that_credit_back()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);

        // On hold, the mug removed, and its money refunded without items while the order still waits.
        Assert.Equal(["done"], await host.OrderEventAsync("order.updated", order, edit: json => { RemoveMug(json); json["status"] = "on-hold"; }));
        var note = await SourceDocumentAsync("Sales Return", order.Id + ":edit:1");
        Assert.Equal(136.80m, note.GetProperty("grandTotal").GetDecimal());
        host.Woo.State.Refund(order.Id, [], amount: 136.80m, reason: "Mug out of stock");
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        host.Woo.State.SetOrderStatus(order.Id, "processing");
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        // The refund paid the credit back: no credit note of it (the mug is not credited twice), and nothing is owed.
        Assert.Equal(0, await RefundDocumentsAsync(order, "Sales Return"));
        var paidBack = await OverpaymentRefundAsync(order);
        Assert.Equal(136.80m, ErpBooks.Credit(await books.GlAsync(paidBack), "1130"));
        Assert.Equal(note.GetProperty("docNo").GetString(), (await SourceDocumentAsync("Sales Return", order.Id + ":edit:1")).GetProperty("docNo").GetString());
        Assert.Equal(0m, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("outstanding").GetDecimal());
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_line_an_edit_removed_from_a_paid_order_is_credited_once_with_its_stock_and_the_refund_of_its_money_pays_the_credit_back()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        var mugs = await books.ActualAsync("MUG-WHT");

        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.OrderEventAsync("order.updated", order, edit: RemoveMug, copies: 2));

        var note = await SourceDocumentAsync("Sales Return", order.Id + ":edit:1");
        Assert.Equal(136.80m, note.GetProperty("grandTotal").GetDecimal());
        var noteNo = note.GetProperty("docNo").GetString()!;
        Assert.Equal(1m, await books.StockMovedAsync("MUG-WHT", noteNo));
        Assert.Equal(mugs + 1, await books.ActualAsync("MUG-WHT"));
        Assert.Empty(await books.GlAsync(noteNo + "-REFUND"));
        Assert.Equal("r", Assert.Single(await host.ReceiptsOfAsync(noteNo)).GetProperty("receiptType").GetString());

        // The merchant refunds the mug's money, without items (the order no longer has the mug).
        host.Woo.State.Refund(order.Id, [], amount: 136.80m, reason: "Mug out of stock");
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2)));

        Assert.Equal(0, await RefundDocumentsAsync(order, "Sales Return"));
        var paidBack = await OverpaymentRefundAsync(order);
        Assert.Equal(136.80m, ErpBooks.Credit(await books.GlAsync(paidBack), "1130"));
        Assert.Equal(0m, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("outstanding").GetDecimal());
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Money_refunded_and_credited_before_an_edit_overpaid_the_order_is_not_paid_back_again_out_of_that_overpayment()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        // 20.00 given back as goodwill: nothing was overpaid then, so it is a credit note of its own.
        host.Woo.State.Refund(order.Id, [], amount: 20m, reason: "Goodwill");
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));
        Assert.Equal(20m, (await RefundCreditAsync(order)).GetProperty("grandTotal").GetDecimal());

        // Then an edit takes the mug off (the order keeps its refund): the customer is owed its 136.80, and only that.
        var refunds = host.Woo.State.Order(order.Id)!["refunds"]!.DeepClone();
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.OrderEventAsync("order.updated", order, edit: json => { RemoveMug(json); json["refunds"] = refunds; }, copies: 2));

        Assert.Equal(0, await RefundDocumentsAsync(order, "Overpayment Refund"));
        Assert.Equal(1, await RefundDocumentsAsync(order, "Sales Return"));
        Assert.Equal(-136.80m, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("outstanding").GetDecimal());
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_paid_order_cancelled_after_an_edit_removed_a_line_pays_back_all_the_money_the_customers_credit_included_and_a_later_refund_posts_nothing()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.OrderEventAsync("order.updated", order, edit: RemoveMug));
        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal(-136.80m, invoice.GetProperty("outstanding").GetDecimal()); // the mug's money, the customer's credit

        host.Woo.State.SetOrderStatus(order.Id, "cancelled", DateTimeOffset.UtcNow.AddMinutes(1));
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2)));

        // The cancellation credits the 570.00 left and pays it back, and pays back the mug's 136.80 with it: 706.80, all
        // the card paid; the customer is owed nothing more.
        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        var cancelNo = (await SourceDocumentAsync("Sales Return", id + "/cancel")).GetProperty("docNo").GetString()!;
        Assert.Equal(570.00m, ErpBooks.Credit(await books.GlAsync(cancelNo + "-REFUND"), "1130"));
        var credit = await SourceDocumentAsync("Overpayment Refund", id + "/cancel");
        Assert.Equal(136.80m, ErpBooks.Credit(await books.GlAsync(credit.GetProperty("docNo").GetString()!), "1130"));
        Assert.Equal(0m, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("outstanding").GetDecimal());

        // The merchant refunds the mug's money in WooCommerce afterwards: paid back already, nothing is posted again.
        host.Woo.State.Refund(order.Id, [], amount: 136.80m, reason: "Mug out of stock");
        host.Woo.State.SetOrderStatus(order.Id, "cancelled", DateTimeOffset.UtcNow.AddMinutes(2)); // stamped after the cancellation
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));
        Assert.Equal(0, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type IN ('Sales Return', 'Overpayment Refund') AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = id + "/refund/%" }));
        Assert.Equal(0m, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("outstanding").GetDecimal());
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_paid_order_cancelled_after_an_edit_added_units_gets_a_return_receipt_for_the_credit_note_of_each_invoice()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.OrderEventAsync("order.updated", order, edit: json => AddMug(order, json)));
        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        var invoices = new[] { id, id + ":added:1" };

        host.Woo.State.SetOrderStatus(order.Id, "cancelled", DateTimeOffset.UtcNow.AddMinutes(1));
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id, copies: 2)));

        foreach (var invoice in invoices)
        {
            var sale = await SourceDocumentAsync("Sales Invoice", invoice);
            Assert.Equal("Returned", sale.GetProperty("status").GetString());
            var noteNo = await books.SingleAsync<string>(
                "SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND against_id = @against", new { against = sale.GetProperty("id").GetInt64() });
            var receipt = Assert.Single(await host.ReceiptsOfAsync(noteNo));
            Assert.Equal("r", receipt.GetProperty("receiptType").GetString());
            Assert.Equal(Assert.Single(await host.ReceiptsOfAsync(sale.GetProperty("docNo").GetString()!)).GetProperty("uuid").GetString(),
                receipt.GetProperty("referenceUuid").GetString());
        }

        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task An_order_invoiced_again_after_its_cancellation_and_then_refunded_credits_the_invoice_made_again_and_nothing_as_edited_off()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        foreach (var (status, minutes) in new[] { ("cancelled", 1), ("processing", 2), ("refunded", 3) })
        {
            host.Woo.State.SetOrderStatus(order.Id, status, DateTimeOffset.UtcNow.AddMinutes(minutes));
            Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));
        }

        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @edits",
            new { WooCommerceStoreHost.Store, edits = id + "%:edit:%" }));
        Assert.Equal("Returned", (await SourceDocumentAsync("Sales Invoice", id + ":again:1")).GetProperty("status").GetString());
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    // A second mug as a line of its own: 120.00 + 16.80 VAT, the order recalculated to 843.60.
    private static void AddMug(WooOrderPayload order, JsonObject json)
    {
        json["line_items"]!.AsArray().Add(new JsonObject
        {
            ["id"] = order.Id * 10 + 8, ["name"] = "Mug white", ["product_id"] = 102, ["variation_id"] = 0, ["quantity"] = 1, ["tax_class"] = "",
            ["subtotal"] = "120.00", ["subtotal_tax"] = "16.80", ["total"] = "120.00", ["total_tax"] = "16.80",
            ["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = "16.8", ["subtotal"] = "16.8" }), ["meta_data"] = new JsonArray(), ["sku"] = "MUG-WHT", ["price"] = 120,
        });
        Totals(json, 136.80m, 16.80m);
    }

    // The mug's line removed: the order recalculated to 570.00.
    private static void RemoveMug(JsonObject json)
    {
        var items = json["line_items"]!.AsArray();
        items.Remove(items.Single(i => (string?)i!["sku"] == "MUG-WHT"));
        Totals(json, -136.80m, -16.80m);
    }

    private static void Totals(JsonObject json, decimal total, decimal tax)
    {
        static string Add(JsonNode? value, decimal by) => (decimal.Parse((string)value!, CultureInfo.InvariantCulture) + by).ToString("0.00", CultureInfo.InvariantCulture);
        json["total"] = Add(json["total"], total);
        json["total_tax"] = Add(json["total_tax"], tax);
        json["cart_tax"] = Add(json["cart_tax"], tax);
        json["tax_lines"]![0]!["tax_total"] = Add(json["tax_lines"]![0]!["tax_total"], tax);
    }

    private Task<long> RefundDocumentsAsync(WooOrderPayload order, string docType) => host.CountAsync(
        "SELECT count(*) FROM erp.sales_document WHERE doc_type = @docType AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
        new { docType, WooCommerceStoreHost.Store, prefix = order.Id.ToString(CultureInfo.InvariantCulture) + "/refund/%" });

    // The one overpayment refund of the order's refunds (the customer's credit paid back).
    private Task<string> OverpaymentRefundAsync(WooOrderPayload order) => books.SingleAsync<string>(
        "SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Overpayment Refund' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
        new { WooCommerceStoreHost.Store, prefix = order.Id.ToString(CultureInfo.InvariantCulture) + "/refund/%" });

    private async Task<List<string?>> OutcomesAsync(WooOrderPayload order) =>
        [.. (await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString())];

    private async Task<JsonElement> RefundCreditAsync(WooOrderPayload order) =>
        await host.GetJsonAsync("/api/erp/sales-documents/" + await books.SingleAsync<long>(
            "SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = order.Id.ToString(CultureInfo.InvariantCulture) + "/refund/%" }));

    private Task<long> AddedInvoicesAsync(WooOrderPayload order) => host.CountAsync(
        "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
        new { WooCommerceStoreHost.Store, prefix = order.Id.ToString(CultureInfo.InvariantCulture) + ":added:%" });

    private async Task<JsonElement> SourceDocumentAsync(string docType, string sourceId) =>
        await host.GetJsonAsync("/api/erp/sales-documents/" + await books.SingleAsync<long>(
            "SELECT id FROM erp.sales_document WHERE doc_type = @docType AND source_system = 'woocommerce' AND source_store = @Store AND source_id = @sourceId",
            new { docType, WooCommerceStoreHost.Store, sourceId }));
}
