using Integration.Erp.Sales;
using Microsoft.Extensions.DependencyInjection;
using static Integration.Erp.Tests.ErpHost;

namespace Integration.Erp.Tests.Sales;

/// <summary>
/// <see cref="SalesDocuments.InvoiceEditAddedAsync"/>: units a store's edit added to an invoiced order are invoiced once
/// each on a supplementary invoice (stock out), however often the edit is reported, and paid by what the store took
/// for them, else by the customer's credit on the first invoice.
/// </summary>
public sealed class EditAddedTests(ErpHost erp) : IClassFixture<ErpHost>
{
    private SalesDocuments Documents => erp.Services.GetRequiredService<SalesDocuments>();

    [Fact]
    public async Task Units_an_edit_added_are_invoiced_once_each_and_paid_by_what_the_store_received_beyond_the_first_invoice()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7101");
        var first = await PaidAsync(company, order, Wallets("L", 1));

        // Line L from 1 to 3 (its discount of 6 is that of the 3: the 2 added take 4), and a new line N of 1.
        SalesLineInput[] now = [Wallets("L", 3, 6m), Wallets("N", 1)];
        var added = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, now, 114m + 224m + 114m), CancellationToken.None);
        var again = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, now, 114m + 224m + 114m), CancellationToken.None);
        var older = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 1)], 114m), CancellationToken.None);

        Assert.True(added.Created);
        var invoice = added.Invoice!;
        Assert.Equal(("7101:added:1", 338m, "Paid", 0m), (invoice.SourceId, invoice.GrandTotal, invoice.Status, invoice.Outstanding));
        Assert.Equal([("L", 2m, 4m), ("N", 1m, 0m)], invoice.Lines.Select(l => (l.SourceLineId![^1..], l.Qty, l.DiscountAmount)).ToArray());
        Assert.Equal(338m, Assert.Single(added.Payments).GrandTotal);
        // Nothing new: the latest supplementary invoice again (its receipt may still be due), no payment.
        Assert.Equal((invoice.Id, false, 0), (again.Invoice!.Id, again.Created, again.Payments.Count));
        Assert.Equal((invoice.Id, false), (older.Invoice!.Id, older.Created));
        Assert.Equal(10m - 1m - 3m, await StockAsync(company));

        // One more of L later, and the store took nothing more for it yet: invoiced, left outstanding.
        var later = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 4, 8m), Wallets("N", 1)], 114m + 224m + 114m), CancellationToken.None);
        Assert.Equal(("7101:added:2", 1m, 112m), (later.Invoice!.SourceId, Assert.Single(later.Invoice.Lines).Qty, later.Invoice.Outstanding));
        Assert.Empty(later.Payments);
        Assert.Equal(114m, (await Documents.GetAsync(first.Id, CancellationToken.None)).GrandTotal);
    }

    [Fact]
    public async Task A_hand_invoice_of_added_units_counts_and_the_customers_credit_pays_for_units_the_store_took_no_money_for()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7102");
        var first = await PaidAsync(company, order, Wallets("L", 3));
        // An edit took 2 off (credited, the customer's credit 228) and added M; a person invoiced M by hand, as the runbook said.
        await Documents.CreditEditedOffAsync(new EditedOffRequest(company, first.Id, On(5, 3), [new EditedLine(LineId("L"), 1)], order), CancellationToken.None);
        var byHand = (await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, order with { Id = "7102:added" }) with { Lines = [Wallets("M", 1)] }, CancellationToken.None)).Document;

        var counted = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 1), Wallets("M", 1)], 342m), CancellationToken.None);
        Assert.Equal((byHand.Id, false), (counted.Invoice!.Id, counted.Created));

        // One more M, no money taken for it: the customer's credit pays it, moved from the first invoice to the new one.
        var more = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 1), Wallets("M", 2)], 342m), CancellationToken.None);
        Assert.Equal(("7102:added:2", "Paid"), (more.Invoice!.SourceId, more.Invoice.Status));
        Assert.Equal(-114m, (await Documents.GetAsync(first.Id, CancellationToken.None)).Outstanding);
        Assert.Equal(114m, await Documents.OverpaidAsync(company, first.Id, CancellationToken.None));
        var opr = await erp.ScalarAsync<string>("SELECT doc_no FROM erp.sales_document WHERE company = @company AND doc_type = 'Overpayment Refund' AND source_id = '7102:added:2'", new { company });
        var pay = Assert.Single(more.Payments);
        Assert.Equal(0m, await erp.ScalarAsync<decimal>(
            "SELECT sum(debit - credit) FROM erp.gl_entry WHERE company = @company AND account = '1130' AND voucher_no IN (@opr, @pay)",
            new { company, opr, pay = pay.DocNo }));
    }

    [Fact]
    public async Task A_refund_of_units_sold_on_both_invoices_credits_each_against_the_invoice_that_sold_it_once()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7103");
        var first = await PaidAsync(company, order, Wallets("L", 1));
        var added = (await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3), Wallets("N", 1)], 456m), CancellationToken.None)).Invoice!;

        // Everything refunded: L's first unit against the first invoice, its 2 added and N against the supplementary one.
        var refund = new SalesReturnRequest(company, first.Id, On(5, 4),
            [new ReturnLineInput(3, SourceLineId: LineId("L")), new ReturnLineInput(1, SourceLineId: LineId("N"))], RefundAccount: "1130", Source: Source("R7103"));
        var (notes, existed) = await Documents.CreateOrderReturnAsync(refund, order, CancellationToken.None);
        var again = await Documents.CreateOrderReturnAsync(refund, order, CancellationToken.None);

        Assert.False(existed);
        Assert.Equal([("R7103", first.Id, 114m), ("R7103:2", added.Id, 342m)], notes.Select(n => (n.SourceId!, n.AgainstId!.Value, n.GrandTotal)).ToArray());
        Assert.True(again.Existed);
        Assert.Equal(notes.Select(n => n.Id), again.Notes.Select(n => n.Id));
        Assert.Equal(("Returned", "Returned"), ((await Documents.GetAsync(first.Id, CancellationToken.None)).Status, (await Documents.GetAsync(added.Id, CancellationToken.None)).Status));
        Assert.Equal(10m, await StockAsync(company));

        // A refund of units only the supplementary invoice sold is credited against it, on the refund's own source.
        var other = Source("7104");
        var firstOther = await PaidAsync(company, other, Wallets("A", 1));
        var addedOther = (await Documents.InvoiceEditAddedAsync(Added(company, firstOther.Id, other, [Wallets("A", 1), Wallets("B", 1)], 228m), CancellationToken.None)).Invoice!;
        var only = await Documents.CreateOrderReturnAsync(new SalesReturnRequest(company, firstOther.Id, On(5, 4), [new ReturnLineInput(1, SourceLineId: LineId("B"))],
            Source: Source("R7104")), other, CancellationToken.None);
        Assert.Equal(("R7104", addedOther.Id), (Assert.Single(only.Notes).SourceId, only.Notes[0].AgainstId!.Value));
    }

    [Fact]
    public async Task An_edit_that_swaps_every_unit_invoices_the_new_ones_although_the_first_invoice_is_credited_in_full()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7105");
        var first = await PaidAsync(company, order, Wallets("L", 1));
        await Documents.CreditEditedOffAsync(new EditedOffRequest(company, first.Id, On(5, 3), [new EditedLine(LineId("L"), 0)], order), CancellationToken.None);
        Assert.Equal("Returned", (await Documents.GetAsync(first.Id, CancellationToken.None)).Status);

        var swapped = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("M", 1)], 114m), CancellationToken.None);

        Assert.True(swapped.Created);
        Assert.Equal(("7105:added:1", "Paid"), (swapped.Invoice!.SourceId, swapped.Invoice.Status));
        Assert.Equal(0m, (await Documents.GetAsync(first.Id, CancellationToken.None)).Outstanding);
    }

    [Fact]
    public async Task A_hand_invoice_whose_lines_do_not_name_the_stores_line_stops_the_added_units_instead_of_billing_or_reserving_them_twice()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7106");
        var first = await PaidAsync(company, order, Wallets("L", 1));
        await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, order with { Id = "7106:added" }), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ErpRuleException>(() => Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 1), Wallets("M", 1)], 228m), CancellationToken.None));

        Assert.Equal("edit-added-unmatched", refused.Code);
        Assert.Contains("sourceLineId", refused.Message, StringComparison.Ordinal);
        // Nor reserved while the store awaits the money: the hand invoice may have sold those units.
        var notReserved = await Assert.ThrowsAsync<ErpRuleException>(() => Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 1), Wallets("M", 1)], 114m), CancellationToken.None));
        Assert.Equal("edit-added-unmatched", notReserved.Code);
        Assert.Equal(0, await erp.CountAsync("SELECT count(*) FROM erp.sales_document WHERE company = @company AND source_id LIKE '7106:added:%'", new { company }));
        // Nothing added: nothing to tell apart, so nothing is refused.
        Assert.False((await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 1)], 114m), CancellationToken.None)).Created);
    }

    [Fact]
    public async Task Units_a_later_edit_takes_off_are_credited_newest_invoice_first_and_the_supplementary_invoices_credit_moves_to_the_first()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7107");
        var first = await PaidAsync(company, order, Wallets("L", 1));
        var added = (await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3), Wallets("N", 1)], 456m), CancellationToken.None)).Invoice!;

        // A later edit takes every L off: 2 of them the supplementary invoice sold, 1 the first. N stays.
        EditedLine[] now = [new(LineId("L"), 0), new(LineId("N"), 1)];
        var credited = await Documents.CreditEditedOffAsync(new EditedOffRequest(company, first.Id, On(5, 4), now, order), CancellationToken.None);
        var again = await Documents.CreditEditedOffAsync(new EditedOffRequest(company, first.Id, On(5, 4), now, order), CancellationToken.None);

        Assert.True(credited.Created);
        Assert.Equal([("7107:edit:1", first.Id, 114m), ("7107:added:1:edit:1", added.Id, 228m)],
            credited.Notes.Select(n => (n.SourceId!, n.AgainstId!.Value, n.GrandTotal)).ToArray());
        Assert.False(again.Created);
        Assert.Equal(credited.Notes.Select(n => n.Id), again.Notes.Select(n => n.Id));
        Assert.Equal(10m - 1m - 3m + 3m, await StockAsync(company));
        // Nothing is left for the edit to add: each unit counts once, credited or sold.
        Assert.False((await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 0), Wallets("N", 1)], 456m), CancellationToken.None)).Created);

        // The supplementary invoice's credit (228, paid for) moved to the first invoice, the account netting to nothing,
        // so the store's refund of the money is paid back out of the first invoice, all of it.
        Assert.Equal(0m, (await Documents.GetAsync(added.Id, CancellationToken.None)).Outstanding);
        Assert.Equal(342m, await Documents.OverpaidAsync(company, first.Id, CancellationToken.None));
        Assert.Equal(0m, await erp.ScalarAsync<decimal>("""
            SELECT sum(g.debit - g.credit) FROM erp.gl_entry g JOIN erp.sales_document d ON d.voucher_id = g.voucher_id
            WHERE d.company = @company AND d.source_id = '7107:added:1:edit:1' AND d.doc_type IN ('Overpayment Refund', 'Payment') AND g.account = '1130'
            """, new { company }));
        var refund = await Documents.RefundOverpaymentAsync(new OverpaymentRefundRequest(company, first.Id, On(5, 5), "1130", 342m, Source("R7107")), CancellationToken.None);
        Assert.Equal(342m, refund.Refunded);
        Assert.Equal(0m, (await Documents.GetAsync(first.Id, CancellationToken.None)).Outstanding);
    }

    [Fact]
    public async Task Units_an_edit_added_before_they_are_paid_for_are_reserved_until_their_invoice_completes_the_reservation()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7108");
        var first = await PaidAsync(company, order, Wallets("L", 1));

        // The edit adds 2 of L and the store awaits the balance: reserved, not invoiced.
        var reserved = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 114m), CancellationToken.None);
        var again = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 114m), CancellationToken.None);
        Assert.Equal((true, "Open", "7108:added:1", 2m), (reserved.Changed, reserved.Order!.Status, reserved.Order.SourceId, Assert.Single(reserved.Order.Lines).Qty));
        Assert.Equal((false, reserved.Order.Id), (again.Changed, again.Order!.Id));
        Assert.Equal((2m, 9m), (await ReservedAsync(company), await StockAsync(company)));

        // Another edit before payment leaves one of them: the reservation follows.
        var fewer = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 2)], 114m), CancellationToken.None);
        Assert.Equal((true, 1m, 1m), (fewer.Changed, Assert.Single(fewer.Order!.Lines).Qty, await ReservedAsync(company)));

        // Paid: the supplementary invoice sells it and completes the reservation.
        var invoiced = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 2)], 228m), CancellationToken.None);
        Assert.Equal(("7108:added:1", reserved.Order.Id), (invoiced.Invoice!.SourceId, invoiced.Invoice.AgainstId));
        Assert.Equal("Completed", (await Documents.GetAsync(reserved.Order.Id, CancellationToken.None)).Status);
        Assert.Equal((0m, 8m), (await ReservedAsync(company), await StockAsync(company)));

        // A later edit adds one more (a reservation of its own), another takes it off (released), a third adds it back.
        var next = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 228m), CancellationToken.None);
        Assert.Equal(("7108:added:2", 1m), (next.Order!.SourceId, await ReservedAsync(company)));
        var off = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 2)], 228m), CancellationToken.None);
        Assert.Equal((true, "Cancelled", 0m), (off.Changed, off.Order!.Status, await ReservedAsync(company)));
        var back = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 228m), CancellationToken.None);
        Assert.Equal((next.Order.Id, "Open", 1m), (back.Order!.Id, back.Order.Status, await ReservedAsync(company)));

        // The order cancelled in the store (no lines left to sell): released.
        var cancelled = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [], 228m), CancellationToken.None);
        Assert.Equal(("Cancelled", 0m, 8m), (cancelled.Order!.Status, await ReservedAsync(company), await StockAsync(company)));
    }

    [Fact]
    public async Task A_reservation_is_found_after_a_hand_invoice_moved_the_next_number_past_it_and_released_when_that_invoice_sold_its_units()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7110");
        var first = await PaidAsync(company, order, Wallets("L", 1));
        var reserved = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 2), Wallets("M", 1)], 114m), CancellationToken.None);
        Assert.Equal(("7110:added:1", 2m), (reserved.Order!.SourceId, await ReservedAsync(company)));

        // A person invoices the added L by hand (its store line named), as the runbook says: the next number is now :added:2.
        await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, order with { Id = "7110:added" }) with { Lines = [Wallets("L", 1)] }, CancellationToken.None);

        // While the store still awaits the money, the reservation holds only M, the unit nobody invoiced.
        var kept = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 2), Wallets("M", 1)], 114m), CancellationToken.None);
        Assert.Equal((reserved.Order.Id, true, "M", 1m), (kept.Order!.Id, kept.Changed, Assert.Single(kept.Order.Lines).SourceLineId![^1..], await ReservedAsync(company)));

        // Paid: M is invoiced on :added:2, which completes the reservation; nothing stays reserved.
        var invoiced = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 2), Wallets("M", 1)], 342m), CancellationToken.None);
        Assert.Equal(("7110:added:2", reserved.Order.Id), (invoiced.Invoice!.SourceId, invoiced.Invoice.AgainstId));
        Assert.Equal(("Completed", 0m), ((await Documents.GetAsync(reserved.Order.Id, CancellationToken.None)).Status, await ReservedAsync(company)));

        // Another order: the hand invoice sold every added unit, so the paid run has nothing to invoice and releases the reservation.
        var other = Source("7111");
        var firstOther = await PaidAsync(company, other, Wallets("L", 1));
        var held = await Documents.ReserveEditAddedAsync(Added(company, firstOther.Id, other, [Wallets("L", 2)], 114m), CancellationToken.None);
        await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, other with { Id = "7111:added" }) with { Lines = [Wallets("L", 1)] }, CancellationToken.None);
        var nothing = await Documents.InvoiceEditAddedAsync(Added(company, firstOther.Id, other, [Wallets("L", 2)], 228m), CancellationToken.None);
        Assert.Equal(("Cancelled", 0m, false), ((await Documents.GetAsync(held.Order!.Id, CancellationToken.None)).Status, await ReservedAsync(company), nothing.Created));
    }

    [Fact]
    public async Task Once_the_order_is_cancelled_a_run_of_an_older_version_neither_reserves_nor_invoices_the_units_an_edit_added()
    {
        var company = await WalletShop.CreateAsync(erp);
        var order = Source("7109");
        var first = await PaidAsync(company, order, Wallets("L", 1));
        var reserved = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 114m), CancellationToken.None);
        Assert.Equal(2m, await ReservedAsync(company));

        // Cancelled: its invoice credited (as the cancellation does, source suffixed /cancel), the reservation released.
        await Documents.CreateReturnAsync(new SalesReturnRequest(company, first.Id, first.PostingDate,
            [new ReturnLineInput(1m, LineNo: first.Lines[0].LineNo)], Source: order with { Id = order.Id + "/cancel" }), CancellationToken.None);
        await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [], 114m), CancellationToken.None);
        Assert.Equal(0m, await ReservedAsync(company));

        // A retried run still holding the edited order: nothing reserved again, nothing sold.
        var stale = await Documents.ReserveEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 114m), CancellationToken.None);
        Assert.Equal((reserved.Order!.Id, "Cancelled", false, 0m), (stale.Order!.Id, stale.Order.Status, stale.Changed, await ReservedAsync(company)));
        var invoiced = await Documents.InvoiceEditAddedAsync(Added(company, first.Id, order, [Wallets("L", 3)], 342m), CancellationToken.None);
        Assert.Equal((false, 0), (invoiced.Created, (await Documents.OrderInvoicesAsync(company, order, CancellationToken.None)).Count - 1));
    }

    // A store order invoiced and paid in full.
    private async Task<SalesDocument> PaidAsync(string company, DocumentSource order, params SalesLineInput[] lines) =>
        (await Documents.CreateInvoiceAsync(WalletShop.Invoice(company, order) with { Lines = lines }, [new InvoicePayment("1130", null, order)], CancellationToken.None)).Invoice;

    private static DocumentSource Source(string id) => new("shopify", "retail-eg.myshopify.com", id);

    private static string LineId(string line) => $"gid://shopify/LineItem/{line}";

    private static SalesLineInput Wallets(string line, decimal qty, decimal discount = 0) => new("B", qty, 114m, discount, TaxRate: 14m, SourceLineId: LineId(line));

    private static EditAddedRequest Added(string company, long invoiceId, DocumentSource order, SalesLineInput[] lines, decimal received) =>
        new(company, invoiceId, On(5, 3), lines, order, new ReceivedPayment("1130", received));

    private Task<decimal> ReservedAsync(string company) =>
        erp.ScalarAsync<decimal>("SELECT coalesce(sum(reserved_qty), 0) FROM erp.bin WHERE company = @company AND sku = 'B'", new { company });

    private Task<decimal> StockAsync(string company) =>
        erp.ScalarAsync<decimal>("SELECT sum(qty_change) FROM erp.stock_ledger_entry WHERE company = @company AND sku = 'B'", new { company });
}
