using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// Shopify orders through the shipped flow <c>shopify-order-to-cash</c>, mappings and ERP, from signed webhooks to
/// GL and stock, against real PostgreSQL. Every effect must happen exactly once per order.
/// </summary>
public sealed class OrderToCashTests(ShopifyStoreHost host) : IClassFixture<ShopifyStoreHost>
{
    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task A_paid_order_becomes_one_customer_invoice_payment_and_stock_issue_matching_its_totals_to_the_cent()
    {
        var order = new ShopifyOrderPayload();

        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));

        var customer = await books.SingleAsync<string>("SELECT customer FROM erp.customer_external_id WHERE source = 'shopify' AND store = @Store AND external_id = @id",
            new { ShopifyStoreHost.Store, id = $"gid://shopify/Customer/{order.CustomerId}" });
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(customer, invoice.GetProperty("customer").GetString());
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(order.Tax, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(order.Subtotal + ShopifyOrderPayload.Shipping, invoice.GetProperty("netTotal").GetDecimal());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(3, invoice.GetProperty("lines").GetArrayLength());

        // GL of the invoice: receivable = total; income 558.00 on sales, 50.00 on shipping; VAT 85.12; COGS at valuation (2 x 100 + 40).
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(order.Total, ErpBooks.Debit(gl, "1150"));
        Assert.Equal(order.Subtotal, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(ShopifyOrderPayload.Shipping, ErpBooks.Credit(gl, "4200"));
        Assert.Equal(order.Tax, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(240m, ErpBooks.Debit(gl, "5100"));
        Assert.Equal(240m, ErpBooks.Credit(gl, "1160"));
        Assert.Equal(ErpBooks.Sum(gl, "debit"), ErpBooks.Sum(gl, "credit"));
        Assert.All(gl.Where(e => e.GetProperty("account").GetString() is "4100" or "4200"), e => Assert.Equal("ONLINE", e.GetProperty("costCenter").GetString()));

        var payment = await books.DocumentAsync(order, "Payment");
        Assert.Equal(order.Total, payment.GetProperty("grandTotal").GetDecimal());
        var paymentGl = await books.GlAsync(payment.GetProperty("docNo").GetString()!);
        Assert.Equal(order.Total, ErpBooks.Debit(paymentGl, "1130"));
        Assert.Equal(order.Total, ErpBooks.Credit(paymentGl, "1150"));

        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(-1m, await books.StockMovedAsync("MUG-WHT", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(0, await books.CountAsync(order, "Sales Order"));
        var run = Assert.Single(await host.OrderRunsAsync(order.Id));
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.StartsWith("invoiced SINV-", run.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
        // The invoice this run made holds the order as it is now: no edit to credit, so no ERP call (and no commit) for one.
        var steps = run.GetProperty("journal").EnumerateArray().Select(j => j.GetProperty("activityId").GetString()).ToHashSet();
        Assert.Contains("invoice", steps);
        Assert.Contains("receipt", steps);
        Assert.DoesNotContain("editedOff", steps);
    }

    [Theory]
    [InlineData(50.00)] // free shipping
    [InlineData(20.00)] // 20.00 off shipping
    public async Task A_shipping_discount_comes_off_the_shipping_line_once_and_the_order_is_invoiced_and_paid_at_its_total(decimal shippingDiscount)
    {
        // Shopify allocates a shipping discount to the shipping line and counts it in total_discounts as well.
        var order = new ShopifyOrderPayload { ShippingDiscount = shippingDiscount };

        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(order.Tax, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(order.Subtotal, ErpBooks.Credit(gl, "4100")); // the goods keep their own discounts only
        Assert.Equal(ShopifyOrderPayload.Shipping - shippingDiscount, ErpBooks.Credit(gl, "4200") - ErpBooks.Debit(gl, "4200"));
        Assert.Equal(order.Total, (await books.DocumentAsync(order, "Payment")).GetProperty("grandTotal").GetDecimal());
        Assert.Equal("Finished", Assert.Single(await host.OrderRunsAsync(order.Id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_custom_line_without_sku_is_invoiced_on_the_stores_custom_item_account_moving_no_stock_and_can_be_refunded()
    {
        // A custom item added at the POS or to a draft order: no variant, a SKU of "", taxed and discounted like any line.
        var ids = new ShopifyOrderPayload().Lines; // line ids of a block no other order uses
        var order = new ShopifyOrderPayload
        {
            CustomItems = new HashSet<string> { "Gift wrapping" },
            Lines = [ids[0], (ids[1].Id, "Gift wrapping", 1, 40.00m, 4.00m)],
        };

        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        var custom = invoice.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("description").GetString()!.StartsWith("Gift wrapping", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, custom.GetProperty("sku").ValueKind);
        Assert.Equal("4100", custom.GetProperty("incomeAccount").GetString());
        Assert.Equal(36.00m, custom.GetProperty("netAmount").GetDecimal());
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(order.Subtotal, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(200m, ErpBooks.Debit(gl, "5100")); // the T-shirts' cost only: the custom item moves no stock
        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));

        var refund = order.RefundJson(order.Id + 500, restock: false, (1, 1));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));

        var credit = await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_store = @Store AND source_id = @id",
            new { ShopifyStoreHost.Store, id = (order.Id + 500).ToString(CultureInfo.InvariantCulture) });
        var note = await host.GetJsonAsync($"/api/erp/sales-documents/{credit}");
        var line = Assert.Single(note.GetProperty("lines").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("sku").ValueKind);
        Assert.Equal("4100", line.GetProperty("incomeAccount").GetString());
        Assert.Equal(36.00m + 5.04m, note.GetProperty("grandTotal").GetDecimal());
    }

    [Fact]
    public async Task A_line_of_a_variant_without_sku_is_no_custom_line_and_stops_the_order_with_an_incident_naming_why()
    {
        // A product made in Shopify only, whose variant has no SKU: its stock and cost would go unbooked as a custom line.
        var ids = new ShopifyOrderPayload().Lines;
        var order = new ShopifyOrderPayload { Lines = [ids[0], (ids[1].Id, "", 1, 40.00m, 0m)] };

        await host.OrderEventAsync("orders/create", order.Json());

        Assert.Equal(0, await books.CountAsync(order, "Sales Invoice"));
        var run = Assert.Single(await host.OrderRunsAsync(order.Id));
        Assert.Equal("Faulted", run.GetProperty("status").GetString());
        Assert.Contains("has no SKU and names no income account", run.GetProperty("incidents").EnumerateArray().Last().GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_order_delivered_three_times_and_updated_before_created_still_posts_once()
    {
        var order = new ShopifyOrderPayload();
        var body = order.Json();

        // orders/updated overtakes orders/create; then orders/create comes three times (Shopify retries, a duplicate subscription).
        await host.OrderEventAsync("orders/updated", body);
        await host.OrderEventAsync("orders/create", body);
        await host.OrderEventAsync("orders/create", body);
        await host.OrderEventAsync("orders/create", body);
        await host.OrderEventAsync("orders/paid", body);

        Assert.Equal(1, await books.CountAsync(order, "Sales Invoice"));
        Assert.Equal(1, await books.CountAsync(order, "Payment"));
        Assert.Equal(0, await books.CountAsync(order, "Sales Order"));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.customer WHERE lower(email) = lower(@Email)", new { order.Email }));
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(order.Total, ErpBooks.Debit(await books.GlAsync(invoice.GetProperty("docNo").GetString()!), "1150"));
        // Each delivery had its own webhook id, but those after the first carry the order as its run found it: the flow
        // ran once, the others were superseded; the ERP made the effects once.
        Assert.Single(await host.OrderRunsAsync(order.Id));
    }

    [Fact]
    public async Task A_stale_payload_is_read_again_from_the_store_and_the_order_booked_as_it_is_now()
    {
        var pending = new ShopifyOrderPayload { FinancialStatus = "pending" };
        var paidNow = WithId(new ShopifyOrderPayload { FinancialStatus = "paid" }.Json(), pending);
        host.Shopify.State.AddOrder(paidNow);

        // Shopify retried an old orders/create from when the order was unpaid; it has been paid since.
        await host.DeliverAsync("orders/create", pending.Json());

        Assert.Equal(0, await books.CountAsync(pending, "Sales Order"));
        Assert.Equal("Paid", (await books.DocumentAsync(pending, "Sales Invoice")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_the_store_no_longer_has_is_booked_from_the_payload_with_its_refunded_units_sold()
    {
        // The store cannot give the order back (deleted, or older than its read window): the run books the webhook's
        // order. One of its 2 T-shirts was refunded, so current_quantity is 1; the invoice still sells 2 (the refund's
        // credit note takes the one back), as for an order read from the store.
        var order = new ShopifyOrderPayload { FinancialStatus = "partially_refunded" };
        var json = JsonNode.Parse(order.Json())!;
        var shirt = order.Lines[0];
        json["line_items"]![0]!["current_quantity"] = shirt.Qty - 1;
        json["refunds"] = new JsonArray(new JsonObject
        {
            ["id"] = order.Id + 50,
            ["created_at"] = "2026-11-24T11:00:00+02:00",
            ["transactions"] = new JsonArray(),
            ["refund_line_items"] = new JsonArray(new JsonObject { ["line_item_id"] = shirt.Id, ["quantity"] = 1, ["restock_type"] = "return" }),
        });

        Assert.Equal("done", await host.DeliverAsync("orders/updated", json.ToJsonString()));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var line = invoice.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == shirt.Sku);
        Assert.Equal(shirt.Qty, line.GetProperty("qty").GetDecimal());
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
    }

    [Fact]
    public async Task An_unpaid_order_reserves_stock_and_becomes_an_invoice_when_paid()
    {
        var order = new ShopifyOrderPayload { FinancialStatus = "pending", Gateway = "Cash on Delivery (COD)" };
        var reservedBefore = await books.ReservedAsync("MUG-WHT");

        await host.OrderEventAsync("orders/create", order.Json());

        var salesOrder = await books.DocumentAsync(order, "Sales Order");
        Assert.Equal("Open", salesOrder.GetProperty("status").GetString());
        Assert.Equal(order.Total, salesOrder.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal(0, await books.CountAsync(order, "Sales Invoice"));

        // Paid on delivery three days later (23:30 UTC on the 26th is the 27th in Cairo): invoiced and paid that day.
        var paid = JsonNode.Parse(WithId(new ShopifyOrderPayload { FinancialStatus = "paid", Gateway = "Cash on Delivery (COD)" }.Json(), order))!;
        paid["transactions"] = new JsonArray(new JsonObject
        {
            ["id"] = order.Id + 31, ["gateway"] = "Cash on Delivery (COD)", ["kind"] = "sale", ["status"] = "success",
            ["amount"] = order.Total.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), ["processed_at"] = "2026-11-26T23:30:00Z",
        });
        await host.OrderEventAsync("orders/paid", paid.ToJsonString());

        Assert.Equal("Completed", (await books.DocumentAsync(order, "Sales Order")).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));
        var payment = await books.DocumentAsync(order, "Payment");
        Assert.Equal(order.Total, ErpBooks.Debit(await books.GlAsync(payment.GetProperty("docNo").GetString()!), "1140"));
        Assert.Equal("2026-11-24", salesOrder.GetProperty("postingDate").GetString());
        Assert.Equal("2026-11-27", (await books.DocumentAsync(order, "Sales Invoice")).GetProperty("postingDate").GetString());
        Assert.Equal("2026-11-27", payment.GetProperty("postingDate").GetString());
    }

    [Fact]
    public async Task A_cancelled_unpaid_order_releases_its_reservation()
    {
        var order = new ShopifyOrderPayload { FinancialStatus = "pending" };
        var reservedBefore = await books.ReservedAsync("TSHIRT-BLU-M");
        await host.OrderEventAsync("orders/create", order.Json());
        Assert.Equal(reservedBefore + 2, await books.ReservedAsync("TSHIRT-BLU-M"));

        var cancelled = new ShopifyOrderPayload { FinancialStatus = "voided", CancelledAt = "2026-11-24T12:00:00+02:00" };
        await host.OrderEventAsync("orders/cancelled", WithId(cancelled.Json(), order));
        await host.OrderEventAsync("orders/cancelled", WithId(cancelled.Json(), order));

        Assert.Equal("Cancelled", (await books.DocumentAsync(order, "Sales Order")).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("TSHIRT-BLU-M"));
        Assert.Equal(0, await books.CountAsync(order, "Sales Invoice"));
    }

    [Fact]
    public async Task A_refund_of_one_line_is_a_credit_note_for_exactly_that_line()
    {
        var order = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", order.Json());
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var stockBefore = await books.ActualAsync("MUG-WHT");

        var refund = order.RefundJson(order.Id + 500, restock: true, (1, 1));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));
        await host.DeliverAsync("refunds/create", refund);

        var credit = await books.SingleAsync<long>("SELECT id FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_store = @Store AND source_id = @id",
            new { ShopifyStoreHost.Store, id = (order.Id + 500).ToString(CultureInfo.InvariantCulture) });
        var note = await host.GetJsonAsync($"/api/erp/sales-documents/{credit}");
        var line = Assert.Single(note.GetProperty("lines").EnumerateArray());
        Assert.Equal("MUG-WHT", line.GetProperty("sku").GetString());
        Assert.Equal(1m, line.GetProperty("qty").GetDecimal());
        Assert.Equal(108.00m, line.GetProperty("netAmount").GetDecimal());
        Assert.Equal(15.12m, line.GetProperty("taxAmount").GetDecimal());
        Assert.Equal(123.12m, note.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(invoice.GetProperty("id").GetInt64(), note.GetProperty("againstId").GetInt64());
        Assert.Equal(stockBefore + 1, await books.ActualAsync("MUG-WHT"));
        var gl = await books.GlAsync(note.GetProperty("docNo").GetString()!);
        Assert.Equal(108.00m, ErpBooks.Debit(gl, "4100"));
        Assert.Equal(15.12m, ErpBooks.Debit(gl, "2120"));
        var refundGl = await books.GlAsync(note.GetProperty("docNo").GetString()! + "-REFUND");
        Assert.Equal(123.12m, ErpBooks.Credit(refundGl, "1130"));
    }

    [Fact]
    public async Task Test_orders_never_reach_the_ledger_and_guest_orders_land_on_the_guest_customer()
    {
        var test = new ShopifyOrderPayload { Test = true };
        var guest = new ShopifyOrderPayload { Guest = true };

        await host.OrderEventAsync("orders/create", test.Json());
        await host.OrderEventAsync("orders/create", guest.Json());

        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE source_id = @id", new { id = test.Id.ToString(CultureInfo.InvariantCulture) }));
        Assert.Equal("test order: not booked", Assert.Single(await host.OrderRunsAsync(test.Id)).GetProperty("output").GetProperty("outcome").GetString());
        Assert.Equal(ShopifyStoreHost.GuestCustomer, (await books.DocumentAsync(guest, "Sales Invoice")).GetProperty("customer").GetString());
    }

    [Fact]
    public async Task A_customer_known_only_by_phone_is_named_by_it_and_one_known_by_nothing_stops_the_order_with_an_incident()
    {
        // A POS or SMS signup: no name, no email; its phone is all the store knows.
        var byPhone = new ShopifyOrderPayload();
        var phoneOnly = Customerless(byPhone, phone: "+201001234567");
        await host.OrderEventAsync("orders/create", phoneOnly);

        var invoice = await books.DocumentAsync(byPhone, "Sales Invoice");
        Assert.Equal("+201001234567", await books.SingleAsync<string>("SELECT name FROM erp.customer WHERE id = @id",
            new { id = invoice.GetProperty("customer").GetString() }));

        var byNothing = new ShopifyOrderPayload();
        await host.OrderEventAsync("orders/create", Customerless(byNothing, phone: null));

        Assert.Equal(0, await books.CountAsync(byNothing, "Sales Invoice"));
        var run = Assert.Single(await host.OrderRunsAsync(byNothing.Id));
        Assert.Equal("Faulted", run.GetProperty("status").GetString());
        var incident = Assert.Single(run.GetProperty("incidents").EnumerateArray()).GetProperty("message").GetString()!;
        Assert.StartsWith("The order's customer does not map to an ERP customer:", incident, StringComparison.Ordinal);
        Assert.Contains("name", incident, StringComparison.Ordinal);

        static string Customerless(ShopifyOrderPayload order, string? phone)
        {
            var json = JsonNode.Parse(order.Json())!.AsObject();
            var customer = json["customer"]!.AsObject();
            foreach (var field in new[] { "first_name", "last_name", "email" })
            {
                customer[field] = null;
            }

            customer["phone"] = phone;
            customer["default_address"]!["phone"] = null;
            return json.ToJsonString();
        }
    }

    [Fact]
    public async Task A_line_Shopify_charged_no_tax_on_carries_no_tax_in_the_erp_and_the_totals_still_match()
    {
        var first = new ShopifyOrderPayload();
        var order = new ShopifyOrderPayload
        {
            Lines = [(first.Lines[0].Id, "TSHIRT-BLU-M", 1, 250.00m, 0m), (first.Lines[1].Id, "CAP-BLK", 3, 75.50m, 22.65m)],
            Untaxed = new HashSet<string> { "CAP-BLK" },
        };

        await host.OrderEventAsync("orders/create", order.Json());

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        var cap = invoice.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == "CAP-BLK");
        Assert.Equal(0m, cap.GetProperty("taxAmount").GetDecimal());
        Assert.Equal(203.85m, cap.GetProperty("netAmount").GetDecimal());
        Assert.Equal(order.Tax, ErpBooks.Credit(await books.GlAsync(invoice.GetProperty("docNo").GetString()!), "2120"));
    }

    [Fact]
    public async Task An_order_the_webhooks_missed_is_picked_up_by_reconciliation_once()
    {
        var missed = new ShopifyOrderPayload { UpdatedAt = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) };
        host.Shopify.State.AddOrder(missed.Json()); // in the store, but no webhook ever came

        await RunReconciliationAsync();
        for (var i = 0; i < 300 && await books.CountAsync(missed, "Sales Invoice") == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, await books.CountAsync(missed, "Sales Invoice"));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE delivery_key LIKE @key", new { key = $"reconcile:{missed.Id}:%" }));

        // The next run lists it again (updated at the watermark): the same version is the same delivery, nothing more is posted.
        await RunReconciliationAsync();
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE delivery_key LIKE @key", new { key = $"reconcile:{missed.Id}:%" }));
        Assert.Equal(1, await books.CountAsync(missed, "Sales Invoice"));
        Assert.Equal(1, await books.CountAsync(missed, "Payment"));
    }

    [Fact]
    public async Task Reconciliation_leaves_out_the_versions_the_webhooks_brought_and_feeds_the_later_one_they_missed()
    {
        var pending = new ShopifyOrderPayload { FinancialStatus = "pending", Gateway = "Cash on Delivery (COD)", UpdatedAt = Ago(6) };
        Assert.Equal("done", await host.OrderEventAsync("orders/create", pending.Json()));
        Assert.Equal(1, await books.CountAsync(pending, "Sales Order"));

        // Listed at the version its webhook brought: left out, so its flow does not run (nor read the store) again.
        await RunReconciliationAsync();
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE delivery_key LIKE @key", new { key = $"reconcile:{pending.Id}:%" }));
        Assert.Single(await host.OrderRunsAsync(pending.Id));

        // Paid on delivery, and the orders/paid webhook was lost: the store holds a later version, which is fed once.
        var paidAt = Ago(3);
        host.Shopify.State.AddOrder(WithId(new ShopifyOrderPayload { Gateway = "Cash on Delivery (COD)", UpdatedAt = paidAt }.Json(), pending));
        var run = await RunReconciliationAsync();
        Assert.True(run.GetProperty("output").GetProperty("fed").GetInt32() >= 1);
        await ShopifyStoreHost.EventuallyAsync(async () => await books.CountAsync(pending, "Sales Invoice") == 1, "the paid order is invoiced");
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE delivery_key = @key", new { key = $"reconcile:{pending.Id}:{paidAt}" }));

        await RunReconciliationAsync();
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE delivery_key LIKE @key", new { key = $"reconcile:{pending.Id}:%" }));
        Assert.Equal(1, await books.CountAsync(pending, "Payment"));
    }

    [Fact]
    public async Task Webhook_subscriptions_the_store_dropped_are_created_again_once()
    {
        await host.RunScheduleAsync("shopify-webhook-check", "hourly");
        Assert.Equal(8, host.Shopify.State.WebhookSubscriptions.Count(s => s.Uri == ShopifyStoreHost.WebhookUrl));

        // Shopify deleted one after 8 failed deliveries.
        Assert.True(host.Shopify.State.RemoveWebhookSubscription("ORDERS_PAID"));
        var run = await host.RunScheduleAsync("shopify-webhook-check", "hourly");

        Assert.Equal("[\"ORDERS_PAID\"]", run.GetProperty("output").GetProperty("resubscribed").GetRawText());
        var subscriptions = host.Shopify.State.WebhookSubscriptions.Where(s => s.Uri == ShopifyStoreHost.WebhookUrl).ToList();
        Assert.Equal(8, subscriptions.Count);
        Assert.Equal(8, subscriptions.Select(s => s.Topic).Distinct().Count());
    }

    [Fact]
    public async Task A_price_change_for_a_list_no_store_pushes_starts_no_run_and_is_marked_done()
    {
        var runsBefore = (await host.GetJsonAsync("/api/runs?definitionId=shopify-prices&limit=500")).GetArrayLength();
        await host.PostAsync("/api/erp/price-lists", new { company = "EG01", id = "SHOP-ONLY", name = "Shop counter", currency = "EGP" });
        await host.PostAsync("/api/erp/price-lists/SHOP-ONLY/prices", new { company = "EG01", sku = "CAP-BLK", rate = 75 });

        string? status = null;
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            await using var connection = await host.OpenAsync();
            status = await Dapper.SqlMapper.ExecuteScalarAsync<string?>(connection, """
                SELECT status FROM integration.outbox
                WHERE topic = 'erp.price.changed' AND entity_key = 'CAP-BLK' AND payload->>'priceList' = 'SHOP-ONLY'
                ORDER BY id DESC LIMIT 1
                """);
            return status is "done" or "failed";
        }, "the price event is dispatched");

        Assert.Equal("done", status); // the trigger's filter refused it: no run, no incident, nothing failed
        Assert.Equal(runsBefore, (await host.GetJsonAsync("/api/runs?definitionId=shopify-prices&limit=500")).GetArrayLength());
    }

    private static string Ago(int minutes) => DateTimeOffset.UtcNow.AddMinutes(-minutes).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);

    private Task<JsonElement> RunReconciliationAsync() => host.RunScheduleAsync("shopify-reconcile-orders", "every15Minutes");

    private static string WithId(string json, ShopifyOrderPayload of)
    {
        var node = JsonNode.Parse(json)!;
        var other = JsonNode.Parse(of.Json())!;
        foreach (var key in new[] { "id", "admin_graphql_api_id", "name", "customer", "line_items", "email" })
        {
            node[key] = other[key]?.DeepClone();
        }

        return node.ToJsonString();
    }

}
