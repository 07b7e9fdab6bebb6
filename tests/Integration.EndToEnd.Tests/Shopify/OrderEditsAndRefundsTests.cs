using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// Order edits before payment, edits after invoicing, amount-only and shipping refunds, and refunds whose money is
/// pending, through signed webhooks, the shipped flows and the ERP. Each effect once, whatever comes twice or late.
/// </summary>
public sealed class OrderEditsAndRefundsTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task An_unpaid_order_edited_before_payment_follows_the_edit_once_per_version_and_is_invoiced_as_edited()
    {
        var ids = new ShopifyOrderPayload().Lines;
        var order = new ShopifyOrderPayload
        {
            FinancialStatus = "pending",
            Gateway = "Cash on Delivery (COD)",
            UpdatedAt = Ago(10),
            Lines = [(ids[0].Id, "TSHIRT-BLU-M", 3, 250.00m, 0m), (ids[1].Id, "MUG-WHT", 1, 120.00m, 0m)],
        };
        var before = (Shirt: await books.ReservedAsync("TSHIRT-BLU-M"), Mug: await books.ReservedAsync("MUG-WHT"), Cap: await books.ReservedAsync("CAP-BLK"));
        await host.OrderEventAsync("orders/create", order.Json());
        Assert.Equal(1048.80m, (await books.DocumentAsync(order, "Sales Order")).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(before.Shirt + 3, await books.ReservedAsync("TSHIRT-BLU-M"));

        // Edited in the admin: 3 T-shirts down to 1, the mug removed, 2 caps added.
        var edited = Edit(order, "pending", Ago(5));
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", edited));
        await host.DeliverAsync("orders/updated", edited);
        await host.DeliverAsync("orders/create", order.Json()); // a stale retry: the flow reads the order as it is now

        var salesOrder = await books.DocumentAsync(order, "Sales Order");
        Assert.Equal("Open", salesOrder.GetProperty("status").GetString());
        Assert.Equal(EditedTotal, salesOrder.GetProperty("grandTotal").GetDecimal());
        var lines = salesOrder.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(1m, lines.Single(l => l.GetProperty("sku").GetString() == "TSHIRT-BLU-M").GetProperty("qty").GetDecimal());
        Assert.Equal(2m, lines.Single(l => l.GetProperty("sku").GetString() == "CAP-BLK").GetProperty("qty").GetDecimal());
        Assert.DoesNotContain(lines, l => l.GetProperty("sku").GetString() == "MUG-WHT");
        Assert.Equal(before.Shirt + 1, await books.ReservedAsync("TSHIRT-BLU-M"));
        Assert.Equal(before.Mug, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal(before.Cap + 2, await books.ReservedAsync("CAP-BLK"));

        // The reconciliation lists the order at the version the webhooks brought: it is left out, nothing changes.
        await host.RunScheduleAsync("shopify-reconcile-orders", "every15Minutes");
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE delivery_key LIKE @key", new { key = $"reconcile:{order.Id}:%" }));
        var outcomes = (await host.OrderRunsAsync(order.Id)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString()!).ToList();
        Assert.Single(outcomes, o => o.StartsWith("updated SO-", StringComparison.Ordinal));
        Assert.Equal(before.Cap + 2, await books.ReservedAsync("CAP-BLK"));

        // Paid: the invoice is the edited order, the payment its current total, the reservation released.
        await host.OrderEventAsync("orders/paid", Edit(order, "paid", Ago(4)));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(EditedTotal, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(3, invoice.GetProperty("lines").GetArrayLength());
        Assert.Equal("Completed", (await books.DocumentAsync(order, "Sales Order")).GetProperty("status").GetString());
        Assert.Equal(EditedTotal, ErpBooks.Debit(await books.GlAsync((await books.DocumentAsync(order, "Payment")).GetProperty("docNo").GetString()!), "1140"));
        Assert.Equal(-2m, await books.StockMovedAsync("CAP-BLK", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(0m, await books.StockMovedAsync("MUG-WHT", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal((before.Shirt, before.Mug, before.Cap), (await books.ReservedAsync("TSHIRT-BLU-M"), await books.ReservedAsync("MUG-WHT"), await books.ReservedAsync("CAP-BLK")));
    }

    [Fact]
    public async Task An_edit_of_an_invoiced_order_credits_the_units_it_took_off_and_invoices_the_units_it_added_once_out_of_that_credit()
    {
        var order = new ShopifyOrderPayload();
        var caps = await books.ActualAsync("CAP-BLK");
        await host.OrderEventAsync("orders/create", order.Json());
        var invoice = await books.DocumentAsync(order, "Sales Invoice");

        Assert.Equal("done", await host.OrderEventAsync("orders/updated", Edit(order, "paid", Ago(1))));
        await host.DeliverAsync("orders/updated", Edit(order, "paid", Ago(1)));

        // The invoice stays as it was posted; one T-shirt and the mug the edit took off come back on a credit note.
        var after = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(invoice.GetProperty("grandTotal").GetDecimal(), after.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(3, after.GetProperty("lines").GetArrayLength());
        var credited = await books.SingleAsync<string>("SELECT string_agg(l.sku || ' ' || l.qty::int, ', ' ORDER BY l.sku) FROM erp.sales_document d JOIN erp.sales_document_line l ON l.document_id = d.id WHERE d.doc_type = 'Sales Return' AND d.source_id = @id",
            new { id = Text(order.Id) + ":edit:1" });
        Assert.Equal("MUG-WHT 1, TSHIRT-BLU-M 1", credited);
        var credit = await books.SingleAsync<decimal>("SELECT grand_total FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @id", new { id = Text(order.Id) + ":edit:1" });

        // The 2 caps it added are sold: a supplementary invoice of their own, once, with their price and VAT, stock out.
        var added = await books.AddedInvoiceAsync(order);
        var cap = Assert.Single(added.GetProperty("lines").EnumerateArray());
        Assert.Equal(("CAP-BLK", 2m, 75.50m, 21.14m), (cap.GetProperty("sku").GetString(), cap.GetProperty("qty").GetDecimal(), cap.GetProperty("rate").GetDecimal(), cap.GetProperty("taxAmount").GetDecimal()));
        Assert.Equal(172.14m, added.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(caps - 2, await books.ActualAsync("CAP-BLK"));
        Assert.Equal(-2m, await books.StockMovedAsync("CAP-BLK", added.GetProperty("docNo").GetString()!));

        // Shopify took no money for them: the edit's net is a refund still to come. They are paid out of the customer's
        // credit on the first invoice (the units taken off), which keeps what that refund will pay back.
        Assert.Equal(("Paid", 0m), (added.GetProperty("status").GetString(), added.GetProperty("outstanding").GetDecimal()));
        Assert.Equal(172.14m - credit, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        var moved = await books.SingleAsync<string>("SELECT string_agg(doc_type || ' ' || round(grand_total, 2), ', ' ORDER BY doc_type) FROM erp.sales_document WHERE source_id LIKE @id AND doc_type <> 'Sales Invoice'",
            new { id = Text(order.Id) + ":added:%" });
        Assert.Equal("Overpayment Refund 172.14, Payment 172.14", moved);
        var runs = await host.OrderRunsAsync(order.Id);
        Assert.All(runs, r => Assert.Equal("Finished", r.GetProperty("status").GetString()));
        Assert.Contains(runs, r => r.GetProperty("output").GetProperty("outcome").GetString()!.EndsWith("units an edit added invoiced on " + added.GetProperty("docNo").GetString(), StringComparison.Ordinal));

        // The edit seen again (run again, or superseded by the run that read the order since) changes nothing.
        Assert.Contains(await host.OrderEventAsync("orders/updated", Edit(order, "paid", Ago(0))), new[] { "done", "superseded" });
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Invoice' AND source_id LIKE @id", new { id = Text(order.Id) + ":added%" }));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id LIKE @id", new { id = Text(order.Id) + ":edit:%" }));
        Assert.Equal(caps - 2, await books.ActualAsync("CAP-BLK"));

        // The refund Shopify asks for after the edit (what the order came down by) pays the rest of that credit back.
        var refundId = order.Id + 700;
        var refunded = credit - 172.14m;
        var edited = JsonNode.Parse(Edit(order, "partially_refunded", Ago(0)))!;
        edited["refunds"] = new JsonArray(JsonNode.Parse(Refund(order, refundId, "success", refunded)));
        host.Shopify.State.AddOrder(edited.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", Refund(order, refundId, "success", refunded)));

        Assert.Equal(refunded, (await books.DocumentAsync("Overpayment Refund", refundId)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Sales Return", refundId));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Equal(0m, (await books.AddedInvoiceAsync(order)).GetProperty("outstanding").GetDecimal());
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @order", new { order = "%" + Text(order.Id) + "%" }));
    }

    [Fact]
    public async Task Goodwill_on_an_order_with_an_untaxed_line_reverses_vat_only_on_the_taxed_share()
    {
        // 545.85 sold: the T-shirt and shipping 342.00 with 42.00 of VAT, three caps 203.85 untaxed.
        var ids = new ShopifyOrderPayload().Lines;
        var order = new ShopifyOrderPayload
        {
            Lines = [(ids[0].Id, "TSHIRT-BLU-M", 1, 250.00m, 0m), (ids[1].Id, "CAP-BLK", 3, 75.50m, 22.65m)],
            Untaxed = new HashSet<string> { "CAP-BLK" },
        };
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 650;
        var refund = Refund(order, refundId, "success", 100.00m);
        var now = JsonNode.Parse(order.Json())!;
        now["refunds"] = new JsonArray(JsonNode.Parse(refund));
        now["financial_status"] = "partially_refunded";
        now["updated_at"] = Ago(0);
        host.Shopify.State.AddOrder(now.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));

        var note = await CreditNoteAsync(refundId);
        Assert.Equal(100.00m, note.GetProperty("grandTotal").GetDecimal());
        // 62.65 of the 100.00 shared to the taxed 342.00 (54.96 + 7.69 of VAT), 37.35 untaxed; 14 % of it all would be 12.28.
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal(7.69m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(92.31m, ErpBooks.Debit(gl, "4300"));
        Assert.Equal(100.00m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
    }

    [Fact]
    public async Task A_shipping_refund_without_lines_credits_shipping_income_and_its_vat_once()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 600;
        var refund = Refund(order, refundId, "success", 57.00m, new JsonObject { ["kind"] = "shipping_refund", ["amount"] = "-50.00", ["tax_amount"] = "-7.00", ["reason"] = "Shipping refund" });

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
        await host.DeliverAsync("refunds/create", refund);

        var note = await CreditNoteAsync(refundId);
        Assert.Equal(57.00m, note.GetProperty("grandTotal").GetDecimal());
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal(50.00m, ErpBooks.Debit(gl, "4200"));
        Assert.Equal(7.00m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(57.00m, ErpBooks.Credit(gl, "1150"));
        Assert.Equal(0m, ErpBooks.Debit(gl, "1160"));
        Assert.Equal(57.00m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @id", new { id = Text(refundId) }));
    }

    [Fact]
    public async Task A_refund_processed_on_the_30th_in_a_shop_on_new_york_time_after_midnight_in_cairo_is_credited_on_the_1st()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 640;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: false, (1, 1)))!;
        // Shopify writes times with the shop's offset: 17:30 in New York is 22:30 UTC, still the 30th, and 00:30 on
        // 1 December in Cairo.
        refund["created_at"] = "2026-11-30T17:30:00-05:00";
        refund["processed_at"] = "2026-11-30T17:30:00-05:00";

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await CreditNoteAsync(refundId);
        Assert.Equal("2026-12-01", note.GetProperty("postingDate").GetString());
        Assert.Equal("2026-11-24", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("postingDate").GetString());
    }

    [Fact]
    public async Task Goods_and_shipping_refunded_together_as_api_2026_04_reports_them_are_both_credited_once()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 650;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: false, (1, 1)))!;
        refund["refund_shipping_lines"] = new JsonArray(new JsonObject
        {
            ["id"] = refundId + 9,
            ["shipping_line_id"] = order.Id + 3,
            ["subtotal_amount_set"] = ShopMoney("50.00"),
            ["tax_amount_set"] = ShopMoney("7.00"),
            ["shipping_line"] = new JsonObject { ["id"] = order.Id + 3, ["title"] = "Standard", ["price"] = "50.00" },
        });
        refund["transactions"]![0]!["amount"] = "180.12";

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        await host.DeliverAsync("refunds/create", refund.ToJsonString());

        var note = await CreditNoteAsync(refundId);
        Assert.Equal(180.12m, note.GetProperty("grandTotal").GetDecimal());
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal(108.00m, ErpBooks.Debit(gl, "4100"));
        Assert.Equal(50.00m, ErpBooks.Debit(gl, "4200"));
        Assert.Equal(22.12m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(180.12m, ErpBooks.Credit(gl, "1150"));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @id", new { id = Text(refundId) }));
    }

    [Fact]
    public async Task A_refunded_shipping_line_without_its_tax_amount_takes_the_shipping_lines_vat_rate()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 660;
        var refund = JsonNode.Parse(Refund(order, refundId, "success", 28.50m))!;
        refund["refund_shipping_lines"] = new JsonArray(new JsonObject
        {
            ["id"] = refundId + 9,
            ["shipping_line_id"] = order.Id + 3,
            ["subtotal_amount_set"] = ShopMoney("25.00"),
            ["shipping_line"] = new JsonObject { ["id"] = order.Id + 3, ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = "7.00" }) },
        });

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var gl = await books.GlAsync((await CreditNoteAsync(refundId)).GetProperty("docNo").GetString()!);
        Assert.Equal(25.00m, ErpBooks.Debit(gl, "4200"));
        Assert.Equal(3.50m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(0m, ErpBooks.Debit(gl, "4300"));
    }

    [Theory]
    [InlineData("success")]
    [InlineData("pending")] // paid back once it settles (shopify-refund-settled)
    public async Task Goods_returned_for_a_cheaper_exchange_item_are_credited_whole_and_only_the_money_that_went_back_is_paid_back(string status)
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        // The mug (108.00 + 15.12 VAT) is swapped for a cheaper one: Shopify refunds only the difference and keeps the
        // rest of its value for the exchange item, and no adjustment of the refund says so.
        var refundId = order.Id + 680;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        refund["transactions"]![0]!["amount"] = "23.12";
        refund["transactions"]![0]!["status"] = status;
        var now = JsonNode.Parse(order.Json())!;
        now["line_items"]![1]!["current_quantity"] = 0;
        now["financial_status"] = "partially_refunded";
        now["updated_at"] = "2026-11-26T12:00:00+02:00";
        now["refunds"] = new JsonArray(refund.DeepClone());
        host.Shopify.State.AddOrder(now.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        await host.DeliverAsync("refunds/create", refund.ToJsonString());
        if (status == "pending")
        {
            Assert.Empty(await books.GlAsync((await books.DocumentAsync("Sales Return", refundId)).GetProperty("docNo").GetString()! + "-REFUND"));
            refund["transactions"]![0]!["status"] = "success";
            now["refunds"] = new JsonArray(refund.DeepClone());
            now["updated_at"] = "2026-11-26T12:30:00+02:00";
            host.Shopify.State.AddOrder(now.ToJsonString());
            Assert.Equal("done", await host.OrderEventAsync("orders/updated", now.ToJsonString()));
        }

        // The goods came back whole (their income, VAT and stock); the gateway's account gave back only the 23.12.
        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(123.12m, note.GetProperty("grandTotal").GetDecimal());
        var paidBack = await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND");
        Assert.Equal(23.12m, ErpBooks.Credit(paidBack, "1130"));
        Assert.Equal(23.12m, ErpBooks.Debit(paidBack, "1150"));
        // The rest of the mug's value stays the customer's, as credit on the invoice, for the item it was exchanged for.
        Assert.Equal(-100.00m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Equal(1, await books.CountAsync("Sales Return", refundId));
    }

    [Fact]
    public async Task A_refund_of_less_than_the_goods_returned_credits_them_whole_pays_back_the_money_and_keeps_the_rest_as_the_customers_credit()
    {
        // Shopify says so with a positive refund_discrepancy: 23.12 of the mug's 123.12 was kept (a fee, an exchange).
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 670;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: false, (1, 1)))!;
        refund["order_adjustments"] = new JsonArray(new JsonObject { ["kind"] = "refund_discrepancy", ["amount"] = "23.12", ["tax_amount"] = "0.00", ["reason"] = "Refund discrepancy" });
        refund["transactions"]![0]!["amount"] = "100.00";
        host.Shopify.State.AddOrder(Refunded(order, refund, "2026-11-26T12:00:00+02:00").ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(123.12m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(100.00m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.Equal(-23.12m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Equal(0m, ErpBooks.Debit(await books.GlAsync(note.GetProperty("docNo").GetString()!), "4300"));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @refund", new { refund = "%" + Text(refundId) + "%" }));

        // A refund of money only later (the fee waived) pays back that credit: no credit note, no VAT moved.
        var waived = order.Id + 671;
        Assert.Equal("done", await host.DeliverAsync("refunds/create", Refund(order, waived, "success", 23.12m)));
        Assert.Equal(23.12m, (await books.DocumentAsync("Overpayment Refund", waived)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0, await books.CountAsync("Sales Return", waived));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
    }

    [Theory]
    [InlineData(true, "success")]
    [InlineData(false, "success")]
    [InlineData(true, "pending")] // the money not back yet: what the refund keeps is known all the same
    public async Task Goods_returned_for_an_exchange_item_pay_its_invoice_out_of_their_credit_whichever_webhook_comes_first(bool refundFirst, string status)
    {
        // The mug (123.12) swapped for a cap (75.50 + 10.57 VAT): Shopify adds the cap to the order and refunds 37.05.
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 690;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        refund["transactions"]![0]!["amount"] = "37.05";
        refund["transactions"]![0]!["status"] = status;
        refund["order_adjustments"] = new JsonArray(new JsonObject { ["kind"] = "refund_discrepancy", ["amount"] = "75.50", ["tax_amount"] = "10.57", ["reason"] = "Refund discrepancy" });
        var exchanged = Refunded(order, refund, "2026-11-26T12:00:00+02:00");
        var capId = order.Lines[1].Id + 9;
        exchanged["line_items"]!.AsArray().Add(new JsonObject
        {
            ["id"] = capId, ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{capId}", ["sku"] = "CAP-BLK", ["title"] = "CAP-BLK", ["variant_title"] = "Default",
            ["quantity"] = 1, ["current_quantity"] = 1, ["price"] = "75.50", ["discount_allocations"] = new JsonArray(), ["taxable"] = true,
            ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = "10.57" }),
        });
        host.Shopify.State.AddOrder(exchanged.ToJsonString());

        if (refundFirst)
        {
            Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
            Assert.Equal("done", await host.DeliverAsync("orders/updated", exchanged.ToJsonString()));
        }
        else
        {
            Assert.Equal("done", await host.DeliverAsync("orders/updated", exchanged.ToJsonString()));
            Assert.Equal(86.07m, (await books.AddedInvoiceAsync(order)).GetProperty("outstanding").GetDecimal());
            Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        }

        await host.DeliverAsync("refunds/create", refund.ToJsonString());
        // The mug came back whole and 37.05 went back; the cap is sold on an invoice of its own, paid by the rest.
        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(123.12m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(status == "success" ? 37.05m : 0m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        var cap = await books.AddedInvoiceAsync(order);
        Assert.Equal(("CAP-BLK", 86.07m), (Assert.Single(cap.GetProperty("lines").EnumerateArray()).GetProperty("sku").GetString(), cap.GetProperty("grandTotal").GetDecimal()));
        Assert.Equal(("Paid", 0m), (cap.GetProperty("status").GetString(), cap.GetProperty("outstanding").GetDecimal()));
        Assert.Equal(status == "success" ? 0m : -37.05m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        var moved = await books.SingleAsync<string>("SELECT string_agg(doc_type || ' ' || round(grand_total, 2), ', ' ORDER BY doc_type) FROM erp.sales_document WHERE source_id LIKE @id AND doc_type <> 'Sales Invoice'",
            new { id = Text(order.Id) + ":added:%" });
        Assert.Equal("Overpayment Refund 86.07, Payment 86.07", moved);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @order", new { order = "%" + Text(order.Id) + "%" }));
        if (status == "pending")
        {
            // Settled: the 37.05 is paid back, the credit the cap took stays taken.
            refund["transactions"]![0]!["status"] = "success";
            exchanged["refunds"] = new JsonArray(refund.DeepClone());
            exchanged["updated_at"] = "2026-11-26T12:30:00+02:00";
            Assert.Equal("done", await host.OrderEventAsync("orders/updated", exchanged.ToJsonString()));
            Assert.Equal(37.05m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
            Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
            Assert.Equal(0m, (await books.AddedInvoiceAsync(order)).GetProperty("outstanding").GetDecimal());
        }
    }

    [Fact]
    public async Task A_refund_discrepancy_shopify_writes_with_its_reverse_nets_to_nothing_and_the_money_is_credited_without_goods()
    {
        // As a real refund of money only showed it: -664.05 and +664.05 beside a 664.05 refund transaction.
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 695;
        var refund = Refund(order, refundId, "success", 114.00m,
            new JsonObject { ["kind"] = "refund_discrepancy", ["amount"] = "-114.00", ["tax_amount"] = "0.00", ["reason"] = "Refund discrepancy" },
            new JsonObject { ["kind"] = "refund_discrepancy", ["amount"] = "114.00", ["tax_amount"] = "0.00", ["reason"] = "Refund discrepancy" });

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));

        var note = await CreditNoteAsync(refundId);
        Assert.Equal(114.00m, note.GetProperty("grandTotal").GetDecimal());
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal((100.00m, 14.00m), (ErpBooks.Debit(gl, "4300"), ErpBooks.Debit(gl, "2120")));
        Assert.Equal(114.00m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
    }

    // The order as the store shows it once the refund exists: its units refunded, the refund listed.
    private static JsonNode Refunded(ShopifyOrderPayload order, JsonNode refund, string updatedAt)
    {
        var now = JsonNode.Parse(order.Json())!;
        foreach (var item in refund["refund_line_items"]!.AsArray())
        {
            var line = now["line_items"]!.AsArray().Single(l => (long)l!["id"]! == (long)item!["line_item_id"]!)!;
            line["current_quantity"] = (int)line["current_quantity"]! - (int)item!["quantity"]!;
        }

        now["financial_status"] = "partially_refunded";
        now["updated_at"] = updatedAt;
        now["refunds"] = new JsonArray(refund.DeepClone());
        return now;
    }

    private static JsonObject ShopMoney(string amount) => new()
    {
        ["shop_money"] = new JsonObject { ["amount"] = amount, ["currency_code"] = "EGP" },
        ["presentment_money"] = new JsonObject { ["amount"] = amount, ["currency_code"] = "EGP" },
    };

    [Fact]
    public async Task Money_refunded_without_goods_is_credited_on_the_refund_discrepancy_account_with_its_vat_reversed()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 700;
        var refund = Refund(order, refundId, "success", 114.00m);

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
        await host.DeliverAsync("refunds/create", refund);

        var note = await CreditNoteAsync(refundId);
        Assert.Equal(114.00m, note.GetProperty("grandTotal").GetDecimal());
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal(100.00m, ErpBooks.Debit(gl, "4300"));
        Assert.Equal(14.00m, ErpBooks.Debit(gl, "2120"));
        Assert.Equal(114.00m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.StartsWith("credited SRET-", (await host.OrderRunsAsync(order.Id))[0].GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Money_refunded_without_goods_in_another_currency_is_credited_in_shop_money()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 725;
        // The buyer paid in dollars: the transaction's amount is what they got back in USD, its shop money in EGP.
        var refund = JsonNode.Parse(Refund(order, refundId, "success", 2.31m))!;
        refund["transactions"]![0]!["currency"] = "USD";
        refund["transactions"]![0]!["amount_set"] = new JsonObject
        {
            ["shop_money"] = new JsonObject { ["amount"] = "114.00", ["currency_code"] = "EGP" },
            ["presentment_money"] = new JsonObject { ["amount"] = "2.31", ["currency_code"] = "USD" },
        };

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await CreditNoteAsync(refundId);
        Assert.Equal(114.00m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(100.00m, ErpBooks.Debit(await books.GlAsync(note.GetProperty("docNo").GetString()!), "4300"));
    }

    [Fact]
    public async Task A_pending_refund_credits_the_goods_at_once_and_the_money_paid_back_once_when_it_succeeds()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 800;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        refund["transactions"]![0]!["status"] = "pending";

        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await CreditNoteAsync(refundId);
        var docNo = note.GetProperty("docNo").GetString()!;
        Assert.Equal(123.12m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Empty(await books.GlAsync(docNo + "-REFUND"));

        // Settled: Shopify says so on the order (orders/updated), not with another refunds/create.
        var settled = WithRefund(order, refundId, "success", 123.12m, Ago(2));
        Assert.Equal("done", await host.OrderEventAsync("orders/updated", settled));
        await host.DeliverAsync("orders/updated", settled);
        await host.DeliverAsync("refunds/create", refund.ToJsonString());

        var refundGl = await books.GlAsync(docNo + "-REFUND");
        Assert.Equal(123.12m, ErpBooks.Credit(refundGl, "1130"));
        Assert.Equal(123.12m, ErpBooks.Debit(refundGl, "1150"));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @id", new { id = Text(refundId) }));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
    }

    [Theory]
    [InlineData(true)] // orders/updated told the failure before the refund was made again
    [InlineData(false)] // the refund made again is the first run to see it
    public async Task A_refund_whose_money_failed_and_is_made_again_with_money_only_credits_the_goods_once(bool failureToldFirst)
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 985;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        refund["transactions"]![0]!["status"] = "pending";
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        var docNo = (await CreditNoteAsync(refundId)).GetProperty("docNo").GetString()!;

        // The card refund failed; the mug is back, so the merchant refunds its money again, without lines.
        refund["transactions"]![0]!["status"] = "failure";
        var failed = Refunded(order, refund, Ago(4));
        if (failureToldFirst)
        {
            Assert.Equal("done", await host.OrderEventAsync("orders/updated", failed.ToJsonString()));
        }

        var againId = order.Id + 986;
        var again = JsonNode.Parse(Refund(order, againId, "success", 123.12m))!;
        var both = failed.DeepClone();
        both["updated_at"] = Ago(2);
        both["refunds"]!.AsArray().Add(again.DeepClone());
        host.Shopify.State.AddOrder(both.ToJsonString());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", again.ToJsonString()));
        Assert.Equal("done", await host.DeliverAsync("orders/updated", both.ToJsonString()));

        // The mug credited once; the money that went back the second time paid back the credit the failed refund left.
        Assert.Equal(0, await books.CountAsync("Sales Return", againId));
        Assert.Empty(await books.GlAsync(docNo + "-REFUND"));
        var paidBack = await books.DocumentAsync("Overpayment Refund", againId);
        Assert.Equal(123.12m, paidBack.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(123.12m, ErpBooks.Credit(await books.GlAsync(paidBack.GetProperty("docNo").GetString()!), "1130"));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task A_refund_whose_money_settled_before_its_late_refunds_create_is_paid_back_once()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 900;

        // orders/updated with the settled refund overtakes refunds/create, whose payload still says pending.
        await host.OrderEventAsync("orders/updated", WithRefund(order, refundId, "success", 123.12m, Ago(2)));
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        refund["transactions"]![0]!["status"] = "pending";
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        await host.DeliverAsync("orders/updated", WithRefund(order, refundId, "success", 123.12m, Ago(2)));

        var docNo = (await CreditNoteAsync(refundId)).GetProperty("docNo").GetString()!;
        Assert.Equal(123.12m, ErpBooks.Credit(await books.GlAsync(docNo + "-REFUND"), "1130"));
    }

    [Fact]
    public async Task A_refund_that_settles_after_its_run_read_the_order_is_paid_back_once_by_that_run()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        await host.OrderEventAsync("orders/create", order.Json());
        var refundId = order.Id + 975;
        var refund = JsonNode.Parse(order.RefundJson(refundId, restock: true, (1, 1)))!;
        refund["transactions"]![0]!["status"] = "pending";
        string Store(string status)
        {
            var now = JsonNode.Parse(WithRefund(order, refundId, status, 123.12m, Ago(2)))!;
            now["refunds"]![0]!["refund_line_items"] = refund["refund_line_items"]!.DeepClone();
            return now.ToJsonString();
        }

        // The money settled, and orders/updated was run before the refund's run posted its credit note: nothing to record
        // it on yet. The refund's run had read the order while the money was pending (the store answers so once).
        await host.OrderEventAsync("orders/updated", Store("success"));
        host.Shopify.State.AddOrder(Store("pending"));
        host.Shopify.State.ChangeOrderAfterNextRead(order.Id, Store("success"));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        // No later orders/updated will come: the refund's run reads the order again after its credit note and records the money.
        var docNo = (await CreditNoteAsync(refundId)).GetProperty("docNo").GetString()!;
        var refundGl = await books.GlAsync(docNo + "-REFUND");
        Assert.Equal(123.12m, ErpBooks.Credit(refundGl, "1130"));
        Assert.Equal(123.12m, ErpBooks.Debit(refundGl, "1150"));
        await host.DeliverAsync("orders/updated", Store("success"));
        Assert.Equal(123.12m, ErpBooks.Credit(await books.GlAsync(docNo + "-REFUND"), "1130"));
    }

    [Fact]
    public async Task A_refund_made_before_the_erp_invoiced_the_order_is_credited_once_against_an_invoice_of_what_was_sold()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 950;
        var refundBody = order.RefundJson(refundId, restock: true, (0, 1)); // 1 of the 2 T-shirts: 225.00 + 31.50 VAT
        var refunded = JsonNode.Parse(refundBody)!["transactions"]![0]!["amount"]!.GetValue<string>();
        Assert.Equal("256.50", refunded);
        // The store already shows the refund: current_quantity and current_total_price are net of it.
        var now = JsonNode.Parse(WithRefund(order, refundId, "success", 256.50m, Ago(5)))!;
        now["line_items"]![0]!["current_quantity"] = 1;
        now["current_total_price"] = (order.Total - 256.50m).ToString("0.00", CultureInfo.InvariantCulture);
        now["refunds"]![0]!["refund_line_items"] = JsonNode.Parse(refundBody)!["refund_line_items"]!.DeepClone();
        host.Shopify.State.AddOrder(now.ToJsonString());

        // refunds/create comes first (orders/paid was late): nothing to credit yet, an incident the host retries itself.
        await host.DeliverAsync("refunds/create", refundBody);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @id", new { id = Text(refundId) }));
        var incident = (await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray()
            .Single(i => i.GetProperty("message").GetString()!.Contains($"refund {refundId} waits", StringComparison.Ordinal));
        Assert.True(incident.GetProperty("transient").GetBoolean(), incident.ToString());

        // The order, first seen partly refunded, is invoiced for what was sold (both T-shirts) and paid in full.
        await host.DeliverAsync("orders/paid", now.ToJsonString());
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(2m, invoice.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == "TSHIRT-BLU-M").GetProperty("qty").GetDecimal());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());

        // The invoice's run retried the refund waiting for it, which credited the refund: no person, no wait.
        var note = await CreditNoteAsync(refundId);
        Assert.Equal("Retried", await books.SingleAsync<string>("SELECT status FROM flows.incident WHERE id = @id", new { id = incident.GetProperty("id").GetInt64() }));
        await host.DeliverAsync("refunds/create", refundBody);
        Assert.Equal(256.50m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_id = @id", new { id = Text(refundId) }));
        Assert.Equal(256.50m, ErpBooks.Credit(await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND"), "1130"));
        Assert.Equal(0m, (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("outstanding").GetDecimal());
        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(1m, await books.StockMovedAsync("TSHIRT-BLU-M", note.GetProperty("docNo").GetString()!));
    }

    [Fact]
    public async Task A_refund_of_an_order_cancelled_before_the_erp_booked_it_credits_nothing_and_leaves_no_incident()
    {
        var order = new ShopifyOrderPayload { UpdatedAt = Ago(30) };
        var refundId = order.Id + 960;
        var cancelled = JsonNode.Parse(order.Json())!;
        cancelled["cancelled_at"] = "2026-11-26T12:00:00+02:00";
        cancelled["financial_status"] = "refunded";
        host.Shopify.State.AddOrder(cancelled.ToJsonString());

        Assert.Equal("done", await host.DeliverAsync("refunds/create", order.CancellationRefundJson(refundId)));

        var run = (await host.OrderRunsAsync(order.Id)).Single();
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.StartsWith("order cancelled (or a test order) before the ERP invoiced it", run.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE source_id IN (@order, @refund)", new { order = Text(order.Id), refund = Text(refundId) }));
    }

    private const decimal EditedTotal = 514.14m; // 250 + 151 + 50 shipping, VAT 35.00 + 21.14 + 7.00

    private static string Ago(int minutes) => DateTimeOffset.UtcNow.AddMinutes(-minutes).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    private static string Text(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>The order after an edit: the first line down to 1, the second removed (current_quantity 0), 2 caps at 75.50 added.</summary>
    private static string Edit(ShopifyOrderPayload order, string financialStatus, string updatedAt)
    {
        var json = JsonNode.Parse(order.Json())!;
        var lines = json["line_items"]!.AsArray();
        // As Shopify edits: quantity, discount allocations and tax lines stay those of the 3 ordered; current_quantity is 1.
        lines[0]!["current_quantity"] = 1;
        lines[1]!["current_quantity"] = 0;
        var capId = order.Lines[1].Id + 5;
        lines.Add(new JsonObject
        {
            ["id"] = capId,
            ["admin_graphql_api_id"] = $"gid://shopify/LineItem/{capId}",
            ["sku"] = "CAP-BLK",
            ["title"] = "CAP-BLK",
            ["variant_title"] = "Default",
            ["quantity"] = 2,
            ["current_quantity"] = 2,
            ["price"] = "75.50",
            ["discount_allocations"] = new JsonArray(),
            ["taxable"] = true,
            ["tax_lines"] = new JsonArray(new JsonObject { ["title"] = "VAT", ["rate"] = 0.14, ["price"] = "21.14" }),
        });
        json["total_discounts"] = order.Lines.Sum(l => l.Discount).ToString("0.00", CultureInfo.InvariantCulture);
        json["current_total_price"] = EditedTotal.ToString("0.00", CultureInfo.InvariantCulture);
        json["financial_status"] = financialStatus;
        json["updated_at"] = updatedAt;
        return json.ToJsonString();
    }

    /// <summary>The order as the store shows it once a refund exists, with its refund transaction in that state.</summary>
    private static string WithRefund(ShopifyOrderPayload order, long refundId, string status, decimal amount, string updatedAt)
    {
        var json = JsonNode.Parse(order.Json())!;
        json["financial_status"] = "partially_refunded";
        json["updated_at"] = updatedAt;
        json["refunds"] = new JsonArray(new JsonObject
        {
            ["id"] = refundId,
            ["admin_graphql_api_id"] = $"gid://shopify/Refund/{refundId}",
            ["order_id"] = order.Id,
            ["created_at"] = "2026-11-26T12:00:00+02:00",
            ["processed_at"] = "2026-11-26T12:00:00+02:00",
            ["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = status, ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["gateway"] = order.Gateway }),
        });
        return json.ToJsonString();
    }

    /// <summary>A refunds/create body without refunded lines: money only, and the order adjustments given.</summary>
    private static string Refund(ShopifyOrderPayload order, long refundId, string status, decimal amount, params JsonObject[] adjustments)
    {
        var json = JsonNode.Parse(order.RefundJson(refundId, restock: false))!;
        json["transactions"] = new JsonArray(new JsonObject { ["kind"] = "refund", ["status"] = status, ["amount"] = amount.ToString("0.00", CultureInfo.InvariantCulture), ["gateway"] = order.Gateway });
        json["order_adjustments"] = new JsonArray([.. adjustments.Select(a => (JsonNode?)a)]);
        return json.ToJsonString();
    }

    private async Task<JsonElement> CreditNoteAsync(long refundId)
    {
        var id = await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_store = @Store AND source_id = @id",
            new { ShopifyStoreHost.Store, id = Text(refundId) });
        return await host.GetJsonAsync($"/api/erp/sales-documents/{id}");
    }

}
