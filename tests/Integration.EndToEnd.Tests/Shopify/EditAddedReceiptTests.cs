using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Eta;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A Shopify order invoiced and reported to ETA, then edited to add a mug, which the customer pays for: the mug is
/// sold on an invoice of its own, paid with that money, and reported on a sale receipt of its own, once each.
/// </summary>
public sealed class EditAddedReceiptTests(EtaStoreHost host) : IClassFixture<EtaStoreHost>
{
    private const decimal AddedMug = 136.80m; // 120 and 16.80 VAT

    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task Units_an_edit_adds_are_invoiced_when_the_customer_pays_for_them_with_that_payment_and_one_sale_receipt()
    {
        var order = new ShopifyOrderPayload();
        var mugs = await books.ActualAsync("MUG-WHT");
        var reserved = await ReservedMugsAsync();
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        var invoiceNo = (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("docNo").GetString()!;
        Assert.Single(await host.ReceiptsOfAsync(invoiceNo));

        // The mug is added in the admin; the order waits for its balance: nothing is invoiced yet, the mug is reserved.
        await host.OrderEventAsync("orders/updated", Edited(order, "partially_paid", "2026-11-24T12:00:00+02:00", order.Total));
        Assert.Equal(0, await AddedCountAsync(order));
        var reservation = await ReservationAsync(order);
        Assert.Equal(("Open", "MUG-WHT", 1m), (reservation.GetProperty("status").GetString(), Assert.Single(reservation.GetProperty("lines").EnumerateArray()).GetProperty("sku").GetString(),
            reservation.GetProperty("lines")[0].GetProperty("qty").GetDecimal()));
        Assert.Equal(reserved + 1, await ReservedMugsAsync());
        Assert.Contains((await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()),
            o => o!.EndsWith("units an edit added reserved on " + reservation.GetProperty("docNo").GetString() + " until the order is paid for them", StringComparison.Ordinal));

        // The customer pays the balance: the mug is invoiced on its own, paid with it, stock out, and reported once.
        var paid = Edited(order, "paid", "2026-11-24T12:30:00+02:00", order.Total, AddedMug);
        Assert.Equal("done", await host.OrderEventAsync("orders/paid", paid));
        await host.DeliverAsync("orders/paid", paid);

        Assert.Equal(1, await AddedCountAsync(order));
        var added = await books.AddedInvoiceAsync(order);
        var addedNo = added.GetProperty("docNo").GetString()!;
        // The invoice that sells the mug completes its reservation.
        Assert.Equal("Completed", (await ReservationAsync(order)).GetProperty("status").GetString());
        Assert.Equal(reserved, await ReservedMugsAsync());
        Assert.Equal((AddedMug, "Paid"), (added.GetProperty("grandTotal").GetDecimal(), added.GetProperty("status").GetString()));
        Assert.Equal(mugs - 2, await books.ActualAsync("MUG-WHT"));
        var payment = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Payment' AND source_id = @id",
            new { id = $"{order.Id.ToString(CultureInfo.InvariantCulture)}:added:1" });
        var firstPayment = (await books.DocumentAsync(order, "Payment")).GetProperty("docNo").GetString()!;
        var account = (await books.GlAsync(firstPayment)).Single(e => e.GetProperty("debit").GetDecimal() > 0).GetProperty("account").GetString()!;
        Assert.Equal(AddedMug, ErpBooks.Debit(await books.GlAsync(payment), account));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Overpayment Refund' AND source_id LIKE @id",
            new { id = $"{order.Id.ToString(CultureInfo.InvariantCulture)}:%" }));

        var receipt = Assert.Single(await host.ReceiptsOfAsync(addedNo));
        Assert.Equal(("s", AddedMug), (receipt.GetProperty("receiptType").GetString(), receipt.GetProperty("totalAmount").GetDecimal()));
        Assert.Single(await host.ReceiptsOfAsync(invoiceNo));
        await host.SettleAsync(invoiceNo, addedNo);
        Assert.Equal("Valid", (await host.ReceiptAsync(receipt.GetProperty("id").GetInt64())).GetProperty("state").GetString());
        Assert.Empty(host.Eta.ReceiptUuidsSubmittedMoreThanOnce);
        // Both Valid receipts are on the order in Shopify: the order's own and, beside it, the added units'.
        // Each Valid receipt is written back by its own event's run: either may come first.
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Metafield(order.Id, "eta", "receipt_added_1") is not null, "the order's eta.receipt_added_1 metafield");
        await ShopifyStoreHost.EventuallyAsync(() => host.Shopify.State.Metafield(order.Id, "eta", "receipt") is not null, "the order's eta.receipt metafield");
        Assert.Equal(receipt.GetProperty("uuid").GetString(), JsonDocument.Parse(host.Shopify.State.Metafield(order.Id, "eta", "receipt_added_1")!).RootElement.GetProperty("uuid").GetString());
        Assert.Equal(Assert.Single(await host.ReceiptsOfAsync(invoiceNo)).GetProperty("uuid").GetString(),
            JsonDocument.Parse(host.Shopify.State.Metafield(order.Id, "eta", "receipt")!).RootElement.GetProperty("uuid").GetString());
        var runs = (await host.OrderRunsAsync(order.Id)).Where(r => r.GetProperty("definitionId").GetString() == "shopify-order-to-cash").ToList();
        Assert.All(runs, r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_refund_of_the_added_unit_is_credited_against_its_own_invoice_with_a_return_receipt_referencing_its_sale()
    {
        var order = new ShopifyOrderPayload();
        var (invoiceNo, addedNo, paid) = await InvoicedWithAddedMugAsync(order);
        var mugs = await books.ActualAsync("MUG-WHT");
        var refundId = order.Id + 900;
        var refund = AddedMugRefund(order, refundId);
        var refunded = JsonNode.Parse(paid)!;
        refunded["financial_status"] = "partially_refunded";
        refunded["refunds"] = new JsonArray(refund.DeepClone());
        refunded["line_items"]![2]!["current_quantity"] = 0;
        host.Shopify.State.AddOrder(refunded.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        await host.DeliverAsync("refunds/create", refund.ToJsonString());

        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal((AddedMug, (await books.AddedInvoiceAsync(order)).GetProperty("id").GetInt64()), (note.GetProperty("grandTotal").GetDecimal(), note.GetProperty("againstId").GetInt64()));
        Assert.Equal(mugs + 1, await books.ActualAsync("MUG-WHT"));
        Assert.Equal("Returned", (await books.AddedInvoiceAsync(order)).GetProperty("status").GetString());
        Assert.Equal("Paid", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("status").GetString());

        var noteNo = note.GetProperty("docNo").GetString()!;
        var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
        Assert.Equal(("r", AddedMug), (returned.GetProperty("receiptType").GetString(), returned.GetProperty("totalAmount").GetDecimal()));
        Assert.Equal(Assert.Single(await host.ReceiptsOfAsync(addedNo)).GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        await host.SettleAsync(invoiceNo, addedNo, noteNo);
        Assert.Equal("Valid", (await host.ReceiptAsync(returned.GetProperty("id").GetInt64())).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_added_unit_edited_off_later_is_credited_against_its_own_invoice_and_the_refund_pays_its_money_back_once()
    {
        var order = new ShopifyOrderPayload();
        var (invoiceNo, addedNo, paid) = await InvoicedWithAddedMugAsync(order);
        var mugs = await books.ActualAsync("MUG-WHT");

        // A later edit takes the added mug off again (never shipped, restocked): the customer is owed its money.
        var edited = JsonNode.Parse(paid)!;
        edited["line_items"]![2]!["current_quantity"] = 0;
        edited["current_total_price"] = order.Total.ToString("0.00", CultureInfo.InvariantCulture);
        edited["updated_at"] = "2026-11-24T13:00:00+02:00";
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", edited.ToJsonString()));
        await host.DeliverAsync("orders/updated", edited.ToJsonString());

        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        var added = await books.AddedInvoiceAsync(order);
        var noteId = await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @source", new { source = $"{id}:added:1:edit:1" });
        var note = await host.GetJsonAsync($"/api/erp/sales-documents/{noteId}");
        Assert.Equal((AddedMug, added.GetProperty("id").GetInt64()), (note.GetProperty("grandTotal").GetDecimal(), note.GetProperty("againstId").GetInt64()));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id LIKE @id", new { id = id + "%" }));
        Assert.Equal((mugs + 1, "Returned"), (await books.ActualAsync("MUG-WHT"), added.GetProperty("status").GetString()));
        var noteNo = note.GetProperty("docNo").GetString()!;
        var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
        Assert.Equal(("r", AddedMug), (returned.GetProperty("receiptType").GetString(), returned.GetProperty("totalAmount").GetDecimal()));
        Assert.Equal(Assert.Single(await host.ReceiptsOfAsync(addedNo)).GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());

        // The refund of its money that Shopify asks for next: paid back out of the customer's credit, not credited again.
        var refundId = order.Id + 970;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: false))!;
        refund["note"] = null;
        refund["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = "success", ["amount"] = "136.80", ["gateway"] = order.Gateway });
        refund["order_adjustments"] = new JsonArray();
        var refunded = edited.DeepClone();
        refunded["financial_status"] = "partially_refunded";
        refunded["refunds"] = new JsonArray(refund.DeepClone());
        host.Shopify.State.AddOrder(refunded.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        await host.DeliverAsync("refunds/create", refund.ToJsonString());

        Assert.Equal(AddedMug, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal((0m, 0m), ((await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal(), (await books.AddedInvoiceAsync(order)).GetProperty("outstanding").GetDecimal()));
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @id", new { id = "%" + id + "%" }));
        await host.SettleAsync(invoiceNo, addedNo, noteNo);
        Assert.Equal("Valid", (await host.ReceiptAsync(returned.GetProperty("id").GetInt64())).GetProperty("state").GetString());
        Assert.Empty(host.Eta.ReceiptUuidsSubmittedMoreThanOnce);
    }

    [Fact]
    public async Task Units_invoiced_by_hand_and_then_edited_off_get_their_sale_receipt_before_the_return_receipt_that_references_it()
    {
        var order = new ShopifyOrderPayload();
        var (invoice, hand) = await InvoicedWithMugByHandAsync(order);
        var (id, handNo) = (order.Id.ToString(CultureInfo.InvariantCulture), hand.GetProperty("docNo").GetString()!);
        Assert.Empty(await host.ReceiptsOfAsync(handNo));

        // The store takes the mug off again: its credit note's return receipt needs the hand invoice's sale receipt first.
        var edited = JsonNode.Parse(Edited(order, "paid", "2026-11-24T13:00:00+02:00", order.Total))!;
        edited["line_items"]![2]!["current_quantity"] = 0;
        edited["current_total_price"] = order.Total.ToString("0.00", CultureInfo.InvariantCulture);
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", edited.ToJsonString()));

        var noteNo = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @source", new { source = $"{id}:added:edit:1" });
        var sale = Assert.Single(await host.ReceiptsOfAsync(handNo));
        Assert.Equal(("s", AddedMug), (sale.GetProperty("receiptType").GetString(), sale.GetProperty("totalAmount").GetDecimal()));
        var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
        Assert.Equal(("r", AddedMug, sale.GetProperty("uuid").GetString()),
            (returned.GetProperty("receiptType").GetString(), returned.GetProperty("totalAmount").GetDecimal(), returned.GetProperty("referenceUuid").GetString()));
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @id", new { id = "%" + id + "%" }));
        await host.SettleAsync(invoice.GetProperty("docNo").GetString()!, handNo, noteNo);
        Assert.Equal("Valid", (await host.ReceiptAsync(returned.GetProperty("id").GetInt64())).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_refunds_return_receipt_waiting_for_its_sales_receipt_is_issued_once_the_order_run_issues_that_one()
    {
        var order = new ShopifyOrderPayload();
        var (_, hand) = await InvoicedWithMugByHandAsync(order);
        var (id, handNo) = (order.Id.ToString(CultureInfo.InvariantCulture), hand.GetProperty("docNo").GetString()!);

        // The mug is refunded before the host saw the edit: credited against the hand invoice, but its return receipt
        // cannot reference a sale receipt that does not exist yet, so the refund's run waits on a transient incident.
        var refundId = order.Id + 940;
        var refund = AddedMugRefund(order, refundId);
        var state = JsonNode.Parse(Edited(order, "partially_refunded", "2026-11-24T12:30:00+02:00", order.Total, AddedMug))!;
        state["refunds"] = new JsonArray(refund.DeepClone());
        state["line_items"]![2]!["current_quantity"] = 0;
        host.Shopify.State.AddOrder(state.ToJsonString());
        await host.DeliverAsync("refunds/create", refund.ToJsonString());
        var note = await books.DocumentAsync("Sales Return", refundId);
        var noteNo = note.GetProperty("docNo").GetString()!;
        Assert.Equal(hand.GetProperty("id").GetInt64(), note.GetProperty("againstId").GetInt64());
        Assert.Empty(await host.ReceiptsOfAsync(noteNo));
        const string Waiting = "SELECT count(*) FROM flows.incident WHERE status = 'Open' AND transient AND message LIKE '%no receipt the portal took%'";
        Assert.True(await host.CountAsync(Waiting) >= 1);

        // The order's run issues the hand invoice's sale receipt, then retries the refund's incident: the return receipt follows.
        Assert.Equal("done", await host.DeliverAsync("orders/updated", state.ToJsonString()));
        var sale = Assert.Single(await host.ReceiptsOfAsync(handNo));
        await ShopifyStoreHost.EventuallyAsync(async () => (await host.ReceiptsOfAsync(noteNo)).Count == 1, "the refund's return receipt is issued");
        var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
        Assert.Equal(("r", sale.GetProperty("uuid").GetString()), (returned.GetProperty("receiptType").GetString(), returned.GetProperty("referenceUuid").GetString()));
        await ShopifyStoreHost.EventuallyAsync(async () => await host.CountAsync(
            "SELECT count(*) FROM flows.incident i JOIN flows.instance r ON r.id = i.instance_id WHERE i.status = 'Open' AND r.correlation_id LIKE @id",
            new { id = "%" + id + "%" }) == 0, "no incident of the order is left open");
    }

    [Fact]
    public async Task A_refund_of_the_added_unit_that_comes_before_its_invoice_is_credited_against_it_once_the_order_run_made_it()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        var refundId = order.Id + 930;
        var refund = AddedMugRefund(order, refundId);
        var state = JsonNode.Parse(Edited(order, "partially_refunded", "2026-11-24T12:30:00+02:00", order.Total, AddedMug))!;
        state["refunds"] = new JsonArray(refund.DeepClone());
        state["line_items"]![2]!["current_quantity"] = 0; // as Shopify counts a line after its units were refunded
        host.Shopify.State.AddOrder(state.ToJsonString());

        // refunds/create overtakes orders/paid: the mug it returns is on no invoice yet.
        await host.DeliverAsync("refunds/create", refund.ToJsonString());
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));

        Assert.Equal("done", await host.DeliverAsync("orders/paid", state.ToJsonString()));

        var added = await books.AddedInvoiceAsync(order);
        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal((added.GetProperty("id").GetInt64(), AddedMug), (note.GetProperty("againstId").GetInt64(), note.GetProperty("grandTotal").GetDecimal()));
        Assert.Equal("Returned", (await books.AddedInvoiceAsync(order)).GetProperty("status").GetString());
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @id",
            new { id = "%" + refundId.ToString(CultureInfo.InvariantCulture) + "%" }));
    }

    [Fact]
    public async Task A_cancellation_credits_the_rest_of_both_invoices_once_each_with_a_return_receipt_referencing_each_sale()
    {
        var order = new ShopifyOrderPayload();
        var (invoiceNo, addedNo, paid) = await InvoicedWithAddedMugAsync(order);
        var (mugs, shirts) = (await books.ActualAsync("MUG-WHT"), await books.ActualAsync("TSHIRT-BLU-M"));
        var cancelled = JsonNode.Parse(paid)!;
        cancelled["cancelled_at"] = "2026-11-24T13:00:00+02:00";
        cancelled["cancel_reason"] = "customer";
        cancelled["financial_status"] = "refunded";
        cancelled["updated_at"] = "2026-11-24T13:00:00+02:00";

        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", cancelled.ToJsonString()));
        await host.DeliverAsync("orders/cancelled", cancelled.ToJsonString());

        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        var credited = await books.SingleAsync<string>("SELECT string_agg(source_id || ' ' || round(grand_total, 2), ', ' ORDER BY source_id) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id LIKE @id",
            new { id = id + "%" });
        Assert.Equal($"{id}/cancel {order.Total:0.00}, {id}:added:1/cancel {AddedMug:0.00}", credited);
        Assert.Equal((mugs + 2, shirts + 2), (await books.ActualAsync("MUG-WHT"), await books.ActualAsync("TSHIRT-BLU-M")));
        Assert.Equal("Returned", (await books.AddedInvoiceAsync(order)).GetProperty("status").GetString());

        foreach (var (sale, prefix) in new[] { (invoiceNo, $"{id}/cancel"), (addedNo, $"{id}:added:1/cancel") })
        {
            var noteNo = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @prefix", new { prefix });
            var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
            Assert.Equal(Assert.Single(await host.ReceiptsOfAsync(sale)).GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        }

        Assert.Empty(host.Eta.ReceiptUuidsSubmittedMoreThanOnce);
    }

    [Fact]
    public async Task An_edit_that_swaps_a_unit_while_the_balance_is_due_credits_the_one_now_reserves_the_other_and_pays_it_with_the_credit()
    {
        var order = new ShopifyOrderPayload();
        var (mugs, reserved) = (await books.ActualAsync("MUG-WHT"), await ReservedMugsAsync());
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        var invoiceNo = (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("docNo").GetString()!;

        // The edit takes the first mug off (123.12) and adds the new one (136.80): 13.68 due, the order partially paid.
        var swapped = JsonNode.Parse(Edited(order, "partially_paid", "2026-11-24T12:00:00+02:00", order.Total))!;
        swapped["line_items"]![1]!["current_quantity"] = 0;
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", swapped.ToJsonString()));

        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        var noteNo = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @source", new { source = $"{id}:edit:1" });
        Assert.Equal(123.12m, await books.SingleAsync<decimal>("SELECT grand_total FROM erp.sales_document WHERE doc_no = @noteNo", new { noteNo }));
        var reservation = await ReservationAsync(order);
        Assert.Equal((mugs, reserved + 1), (await books.ActualAsync("MUG-WHT"), await ReservedMugsAsync()));
        var returned = Assert.Single(await host.ReceiptsOfAsync(noteNo));
        Assert.Equal(Assert.Single(await host.ReceiptsOfAsync(invoiceNo)).GetProperty("uuid").GetString(), returned.GetProperty("referenceUuid").GetString());
        Assert.Contains((await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()),
            o => o == $"invoiced {invoiceNo} before; units edited off credited on {noteNo}; units an edit added reserved on {reservation.GetProperty("docNo").GetString()} until the order is paid for them");

        // The customer pays the 13.68: the new mug is invoiced, paid with it and the first mug's credit, its reservation completed.
        var paid = JsonNode.Parse(Edited(order, "paid", "2026-11-24T12:30:00+02:00", order.Total, 13.68m))!;
        paid["line_items"]![1]!["current_quantity"] = 0;
        Assert.Equal("done", await host.OrderEventAsync("orders/paid", paid.ToJsonString()));

        var added = await books.AddedInvoiceAsync(order);
        Assert.Equal((AddedMug, "Paid", 0m), (added.GetProperty("grandTotal").GetDecimal(), added.GetProperty("status").GetString(), added.GetProperty("outstanding").GetDecimal()));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Equal(("Completed", reserved, mugs - 1), ((await ReservationAsync(order)).GetProperty("status").GetString(), await ReservedMugsAsync(), await books.ActualAsync("MUG-WHT")));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id LIKE @id", new { id = id + "%" }));
        Assert.All(await host.OrderRunsAsync(order.Id), r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_cancellation_while_the_added_units_await_payment_releases_their_reservation()
    {
        var order = new ShopifyOrderPayload();
        var reserved = await ReservedMugsAsync();
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        await host.OrderEventAsync("orders/updated", Edited(order, "partially_paid", "2026-11-24T12:00:00+02:00", order.Total));
        Assert.Equal(reserved + 1, await ReservedMugsAsync());

        var cancelled = JsonNode.Parse(Edited(order, "refunded", "2026-11-24T13:00:00+02:00", order.Total))!;
        cancelled["cancelled_at"] = "2026-11-24T13:00:00+02:00";
        cancelled["cancel_reason"] = "customer";
        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", cancelled.ToJsonString()));

        Assert.Equal("Cancelled", (await ReservationAsync(order)).GetProperty("status").GetString());
        Assert.Equal(reserved, await ReservedMugsAsync());
        Assert.Equal(0, await AddedCountAsync(order));
        Assert.Equal("Returned", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_cancellation_after_a_refund_of_a_line_both_invoices_sold_credits_every_unit_left_once()
    {
        var order = new ShopifyOrderPayload();
        var shirts = await books.ActualAsync("TSHIRT-BLU-M");
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        // The edit raises the T-shirts from 2 to 3; the customer pays for the third.
        var paid = JsonNode.Parse(Edited(order, "paid", null, order.Total, 300.00m))!;
        paid["line_items"]![0]!["quantity"] = 3;
        paid["line_items"]![0]!["current_quantity"] = 3;
        paid["updated_at"] = "2026-11-24T12:30:00+02:00";
        Assert.Equal("done", await host.OrderEventAsync("orders/paid", paid.ToJsonString()));
        var added = await books.AddedInvoiceAsync(order);
        Assert.Equal(1m, Assert.Single(added.GetProperty("lines").EnumerateArray()).GetProperty("qty").GetDecimal());
        Assert.Equal("Paid", added.GetProperty("status").GetString());

        // One T-shirt refunded (taken from the first invoice, which has two), then the order cancelled.
        var refundId = order.Id + 950;
        var refund = order.RefundJson(refundId, restock: true, (0, 1));
        var refunded = paid.DeepClone();
        refunded["financial_status"] = "partially_refunded";
        refunded["refunds"] = new JsonArray(JsonNode.Parse(refund));
        refunded["line_items"]![0]!["current_quantity"] = 2;
        host.Shopify.State.AddOrder(refunded.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
        var cancelled = refunded.DeepClone();
        cancelled["cancelled_at"] = "2026-11-24T13:00:00+02:00";
        cancelled["cancel_reason"] = "customer";
        cancelled["financial_status"] = "refunded";
        cancelled["updated_at"] = "2026-11-24T13:00:00+02:00";
        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", cancelled.ToJsonString()));

        // Every T-shirt is back: one by the refund, the first invoice's other and the added one by the cancellation.
        Assert.Equal(shirts, await books.ActualAsync("TSHIRT-BLU-M"));
        Assert.Equal(("Returned", "Returned"), ((await books.DocumentAsync(order, "Sales Invoice")).GetProperty("status").GetString(), (await books.AddedInvoiceAsync(order)).GetProperty("status").GetString()));
        var id = order.Id.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(1m, await books.SingleAsync<decimal>(
            "SELECT sum(l.qty) FROM erp.sales_document d JOIN erp.sales_document_line l ON l.document_id = d.id WHERE d.doc_type = 'Sales Return' AND d.source_id = @id",
            new { id = $"{id}:added:1/cancel" }));
    }

    // Invoiced and reported, then a mug added by an edit and paid for: the invoice, the supplementary one, and the order as it stands.
    private async Task<(string InvoiceNo, string AddedNo, string Paid)> InvoicedWithAddedMugAsync(ShopifyOrderPayload order)
    {
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        var invoiceNo = (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("docNo").GetString()!;
        var paid = Edited(order, "paid", "2026-11-24T12:30:00+02:00", order.Total, AddedMug);
        Assert.Equal("done", await host.OrderEventAsync("orders/paid", paid));
        return (invoiceNo, (await books.AddedInvoiceAsync(order)).GetProperty("docNo").GetString()!, paid);
    }

    // Invoiced and reported, then the mug an edit added invoiced by hand, as the runbook of an older release said (its
    // store line named, no sale receipt issued): the order's invoice and the hand invoice.
    private async Task<(JsonElement Invoice, JsonElement Hand)> InvoicedWithMugByHandAsync(ShopifyOrderPayload order)
    {
        await host.OrderEventAsync("orders/create", Edited(order, "paid", null, order.Total));
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var (status, hand) = await host.PostAsync("/api/erp/sales-invoices", new
        {
            company = "EG01", customer = invoice.GetProperty("customer").GetString(), postingDate = "2026-11-24", warehouse = invoice.GetProperty("warehouse").GetString(),
            source = new { system = "shopify", store = ShopifyStoreHost.Store, id = order.Id.ToString(CultureInfo.InvariantCulture) + ":added" },
            lines = new[] { new { sku = "MUG-WHT", qty = 1m, rate = 120m, taxRate = 14m, sourceLineId = $"gid://shopify/LineItem/{MugId(order)}" } },
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        return (invoice, hand);
    }

    // refunds/create of the mug the edit added, restocked.
    private static JsonNode AddedMugRefund(ShopifyOrderPayload order, long refundId)
    {
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        var item = refund["refund_line_items"]![0]!;
        item["line_item_id"] = MugId(order);
        item["line_item"] = new JsonObject { ["id"] = MugId(order), ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{MugId(order)}" };
        (item["subtotal"], item["total_tax"]) = ("120.00", "16.80");
        refund["transactions"]![0]!["amount"] = "136.80";
        return refund;
    }

    private static long MugId(ShopifyOrderPayload order) => order.Lines[1].Id + 7;

    /// <summary>The order with its transactions (sales of these amounts); with an update time, also a second mug added by an edit.</summary>
    private static string Edited(ShopifyOrderPayload order, string financialStatus, string? editedAt, params decimal[] sales)
    {
        var json = JsonNode.Parse(order.Json())!;
        json["financial_status"] = financialStatus;
        json["transactions"] = new JsonArray([.. sales.Select(amount => (JsonNode)new JsonObject
        {
            ["kind"] = "sale", ["status"] = "success", ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["gateway"] = order.Gateway,
        })]);
        if (editedAt is null)
        {
            return json.ToJsonString();
        }

        var mugId = MugId(order);
        json["line_items"]!.AsArray().Add(new JsonObject
        {
            ["id"] = mugId,
            ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{mugId}",
            ["sku"] = "MUG-WHT",
            ["title"] = "MUG-WHT",
            ["quantity"] = 1,
            ["current_quantity"] = 1,
            ["price"] = "120.00",
            ["discount_allocations"] = new JsonArray(),
            ["taxable"] = true,
            ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = "16.80" }),
        });
        json["current_total_price"] = (order.Total + AddedMug).ToString("0.00", CultureInfo.InvariantCulture);
        json["updated_at"] = editedAt;
        return json.ToJsonString();
    }

    // The sales order reserving the units an edit added while the order awaited their payment.
    private async Task<JsonElement> ReservationAsync(ShopifyOrderPayload order) =>
        await host.GetJsonAsync($"/api/erp/sales-documents/{await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Order' AND source_id = @id",
            new { id = $"{order.Id.ToString(CultureInfo.InvariantCulture)}:added:1" })}");

    private Task<decimal> ReservedMugsAsync() =>
        books.SingleAsync<decimal>("SELECT coalesce(sum(reserved_qty), 0) FROM erp.bin WHERE sku = 'MUG-WHT'", new { });

    private Task<long> AddedCountAsync(ShopifyOrderPayload order) =>
        host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_id LIKE @id",
            new { id = $"{order.Id.ToString(CultureInfo.InvariantCulture)}:added%" });
}
