using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.EndToEnd.Tests.Shopify;
using Integration.Simulators.WooCommerce;

namespace Integration.EndToEnd.Tests.WooCommerce;

/// <summary>
/// WooCommerce orders through the shipped flow <c>woocommerce-order-to-cash</c>, mappings and ERP, from signed webhooks
/// to GL and stock, against real PostgreSQL and the WooCommerce simulator. Every effect must happen exactly once per order.
/// </summary>
public sealed class OrderToCashTests(WooCommerceStoreHost host) : IClassFixture<WooCommerceStoreHost>
{
    private readonly ErpBooks books = new(host, "woocommerce", WooCommerceStoreHost.Store);

    [Fact]
    public async Task A_processing_order_becomes_one_customer_invoice_payment_and_stock_issue_matching_its_totals_to_the_cent()
    {
        var order = new WooOrderPayload { Fee = true };

        Assert.Equal(["done"], await host.OrderEventAsync("order.created", order));

        var customer = await books.SingleAsync<string>("SELECT customer FROM erp.customer_external_id WHERE source = 'woocommerce' AND store = @Store AND external_id = @id",
            new { WooCommerceStoreHost.Store, id = order.CustomerId.ToString(CultureInfo.InvariantCulture) });
        var invoice = (await books.DocumentAsync("Sales Invoice", order.Id));
        Assert.Equal(customer, invoice.GetProperty("customer").GetString());
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(order.Tax, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(WooOrderPayload.ItemsTotal + WooOrderPayload.Shipping + WooOrderPayload.FeeAmount, invoice.GetProperty("netTotal").GetDecimal());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(4, invoice.GetProperty("lines").GetArrayLength()); // 2 items, shipping, fee

        // GL: receivable = total 718.20; sales 570.00 after the coupon; shipping 50.00 and fee 10.00 on 4200; VAT 88.20; COGS at valuation (2 x 100 + 40).
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(order.Total, ErpBooks.Debit(gl, "1150"));
        Assert.Equal(WooOrderPayload.ItemsTotal, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(WooOrderPayload.Shipping + WooOrderPayload.FeeAmount, ErpBooks.Credit(gl, "4200"));
        Assert.Equal(order.Tax, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(240m, ErpBooks.Debit(gl, "5100"));
        Assert.Equal(240m, ErpBooks.Credit(gl, "1160"));
        Assert.Equal(ErpBooks.Sum(gl, "debit"), ErpBooks.Sum(gl, "credit"));

        var payment = (await books.DocumentAsync("Payment", order.Id));
        Assert.Equal(order.Total, payment.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(order.Total, ErpBooks.Debit(await books.GlAsync(payment.GetProperty("docNo").GetString()!), "1130"));

        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(-1m, await books.StockMovedAsync("MUG-WHT", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(0, await books.CountAsync("Sales Order", order.Id));
        var run = Assert.Single(await host.OrderRunsAsync(order.Id));
        Assert.Equal("Finished", run.GetProperty("status").GetString());
        Assert.StartsWith("invoiced SINV-", run.GetProperty("output").GetProperty("outcome").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_order_delivered_three_times_and_updated_before_created_still_posts_once()
    {
        var order = new WooOrderPayload();
        var stale = new WooOrderPayload { Status = "pending" }; // an older snapshot of the same order, before payment
        var staleBody = WooCommerceWebhookSender.Encode(WithId(stale.Order(), order));

        // order.updated overtakes order.created; order.created then comes three times, and once more with an older payload.
        await host.OrderEventAsync("order.updated", order);
        await host.OrderEventAsync("order.created", order, copies: 3);
        await host.SendAsync("order.created", staleBody);

        Assert.Equal(1, await books.CountAsync("Sales Invoice", order.Id));
        Assert.Equal(1, await books.CountAsync("Payment", order.Id));
        Assert.Equal(0, await books.CountAsync("Sales Order", order.Id));
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM erp.customer WHERE lower(email) = lower(@Email)", new { order.Email }));
        var invoice = (await books.DocumentAsync("Sales Invoice", order.Id));
        Assert.Equal(-2m, await books.StockMovedAsync("TSHIRT-BLU-M", invoice.GetProperty("docNo").GetString()!));
        Assert.Equal(order.Total, ErpBooks.Debit(await books.GlAsync(invoice.GetProperty("docNo").GetString()!), "1150"));
        // The three identical order.created bodies are one delivery at the intake, and it carries the order as the run of
        // order.updated found it; the stale one is older than the version that run read again. Both are superseded and
        // start no run.
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce' AND topic = 'order.created' AND convert_from(body, 'UTF8') LIKE @id",
            new { id = $"%\"id\":{order.Id},%" }));
        Assert.Single(await host.OrderRunsAsync(order.Id));
        Assert.Equal(2, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce' AND status = 'superseded' AND convert_from(body, 'UTF8') LIKE @id",
            new { id = $"%\"id\":{order.Id},%" }));
    }

    [Fact]
    public async Task A_negative_fee_a_plugin_adds_as_a_discount_is_booked_as_a_discount_on_the_products_to_the_cent()
    {
        var order = new WooOrderPayload();
        // 706.80 less a loyalty discount of 20.00 + 2.80 VAT, as plugins add it: a fee line with negative amounts.
        Assert.Equal(["done"], await host.OrderEventAsync("order.created", order, edit: json =>
        {
            json["fee_lines"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = order.Id * 10 + 7, ["name"] = "Loyalty discount", ["tax_class"] = "", ["tax_status"] = "taxable", ["amount"] = "-20", ["total"] = "-20.00", ["total_tax"] = "-2.80",
                ["taxes"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = 1, ["total"] = "-2.8", ["subtotal"] = "" }), ["meta_data"] = new System.Text.Json.Nodes.JsonArray(),
            });
            json["total"] = "684.00";
            json["total_tax"] = "84.00";
        }));

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal(684.00m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(84.00m, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(600.00m, invoice.GetProperty("netTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(3, invoice.GetProperty("lines").GetArrayLength()); // 2 items and shipping: the discount is on the items
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(550.00m, ErpBooks.Credit(gl, "4100"));
        Assert.Equal(0m, ErpBooks.Debit(gl, "4100"));
        Assert.Equal(84.00m, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(ErpBooks.Sum(gl, "debit"), ErpBooks.Sum(gl, "credit"));
        Assert.Equal(684.00m, (await books.DocumentAsync("Payment", order.Id)).GetProperty("grandTotal").GetDecimal());
    }

    [Fact]
    public async Task A_negative_fee_without_tax_on_taxed_products_is_store_credit_paying_part_of_the_order_and_the_vat_stays_as_charged()
    {
        var order = new WooOrderPayload();
        // 706.80, of which a wallet plugin's store credit paid 100.00: a fee of -100.00 that took none of the products' VAT.
        Assert.Equal(["done"], await host.OrderEventAsync("order.created", order, edit: json =>
        {
            json["fee_lines"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["id"] = order.Id * 10 + 8, ["name"] = "Store credit", ["tax_class"] = "", ["tax_status"] = "none", ["amount"] = "-100", ["total"] = "-100.00", ["total_tax"] = "0.00",
                ["taxes"] = new System.Text.Json.Nodes.JsonArray(), ["meta_data"] = new System.Text.Json.Nodes.JsonArray(),
            });
            json["total"] = "606.80";
        }));

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal(706.80m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(86.80m, invoice.GetProperty("taxTotal").GetDecimal()); // the VAT the buyer was charged, not 16.98 % of a smaller net
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(570.00m, ErpBooks.Credit(await books.GlAsync(invoice.GetProperty("docNo").GetString()!), "4100"));
        await using var connection = await host.OpenAsync();
        var payments = (await Dapper.SqlMapper.QueryAsync<string>(connection,
            "SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Payment' AND source_system = 'woocommerce' AND (source_id = @id OR source_id LIKE @id || ':%') ORDER BY id",
            new { id = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
        Assert.Equal(2, payments.Count);
        var gl = new List<System.Text.Json.JsonElement>();
        foreach (var docNo in payments)
        {
            gl.AddRange(await books.GlAsync(docNo));
        }

        Assert.Equal(606.80m, ErpBooks.Debit(gl, "1130"));
        Assert.Equal(100.00m, ErpBooks.Debit(gl, "2130"));
    }

    [Fact]
    public async Task An_order_of_a_store_rounding_tax_at_subtotal_is_invoiced_at_its_total_and_vat_to_the_cent()
    {
        // Two lines of 10.10 at 14 %: 1.414 VAT each, 1.41 each as the API prints them, 2.83 as the store charged them.
        var order = new WooOrderPayload();
        Assert.Equal(["done"], await host.OrderEventAsync("order.created", order, edit: json =>
            RoundedAtSubtotal(json, pricesIncludeTax: false, ("10.1", "10.10", "1.41", "1.414"), "80.03", "9.83")));

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal(80.03m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(9.83m, invoice.GetProperty("taxTotal").GetDecimal());
        Assert.Equal(70.20m, invoice.GetProperty("netTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal([1.42m, 1.41m, 7.00m], invoice.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("taxAmount").GetDecimal()).ToArray());
        var gl = await books.GlAsync(invoice.GetProperty("docNo").GetString()!);
        Assert.Equal(9.83m, ErpBooks.Credit(gl, "2120"));
        Assert.Equal(80.03m, (await books.DocumentAsync("Payment", order.Id)).GetProperty("grandTotal").GetDecimal());
    }

    [Fact]
    public async Task An_order_of_a_store_rounding_tax_at_subtotal_refunded_a_line_and_then_the_rest_is_credited_line_by_line()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order, edit: json => RoundedAtSubtotal(json, pricesIncludeTax: false, ("10.1", "10.10", "1.41", "1.414"), "80.03", "9.83"));
        // The store refunds the T-shirt as it prints it (1.41 VAT; the ERP booked 1.42), then the order is set to Refunded.
        host.Woo.State.Refund(order.Id, [new WooCommerceStoreState.RefundItem(order.Id * 10 + 1, 1, 10.10m, 1.41m)]);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        host.Woo.State.SetOrderStatus(order.Id, "refunded");

        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id)));

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal("Returned", invoice.GetProperty("status").GetString());
        var lines = await books.SingleAsync<string[]>(
            "SELECT array_agg(coalesce(l.sku, l.description) ORDER BY d.id, l.line_no) FROM erp.sales_document d JOIN erp.sales_document_line l ON l.document_id = d.id " +
            "WHERE d.doc_type = 'Sales Return' AND d.against_id = @invoice", new { invoice = invoice.GetProperty("id").GetInt64() });
        Assert.Equal(["TSHIRT-BLU-M", "MUG-WHT", "Shipping: Flat rate"], lines);
    }

    [Fact]
    public async Task An_order_of_a_store_with_prices_including_tax_rounded_at_subtotal_is_booked_with_the_stores_net_and_vat()
    {
        // Two lines of 12.00 with VAT: 10.526316 + 1.473684 each, printed 10.53 + 1.47; the store's tax is 2.95, its net 21.05.
        var order = new WooOrderPayload();
        Assert.Equal(["done"], await host.OrderEventAsync("order.created", order, edit: json =>
            RoundedAtSubtotal(json, pricesIncludeTax: true, ("10.526316", "10.53", "1.47", "1.473684"), "81.00", "9.95")));

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal(81.00m, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(9.95m, invoice.GetProperty("taxTotal").GetDecimal());
        var lines = invoice.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal([10.52m, 10.53m, 50.00m], lines.Select(l => l.GetProperty("netAmount").GetDecimal()).ToArray());
        Assert.Equal([1.48m, 1.47m, 7.00m], lines.Select(l => l.GetProperty("taxAmount").GetDecimal()).ToArray());
        Assert.Equal(0m, lines[0].GetProperty("discountAmount").GetDecimal());
        Assert.Equal(9.95m, ErpBooks.Credit(await books.GlAsync(invoice.GetProperty("docNo").GetString()!), "2120"));
    }

    /// <summary>
    /// A T-shirt and a mug, one each, at the same net and VAT as the API prints them with tax rounded at subtotal level
    /// (<c>taxes</c> and <c>price</c> unrounded, as WooCommerce gives them), no coupon, shipping 50.00 + 7.00.
    /// </summary>
    private static void RoundedAtSubtotal(JsonObject json, bool pricesIncludeTax, (string Price, string Net, string Tax, string Unrounded) line, string total, string totalTax)
    {
        foreach (var item in json["line_items"]!.AsArray().Select(i => i!.AsObject()))
        {
            item["quantity"] = 1;
            item["price"] = decimal.Parse(line.Price, CultureInfo.InvariantCulture);
            item["subtotal"] = line.Net;
            item["total"] = line.Net;
            item["subtotal_tax"] = line.Tax;
            item["total_tax"] = line.Tax;
            item["taxes"] = new JsonArray(new JsonObject { ["id"] = 1, ["total"] = line.Unrounded, ["subtotal"] = line.Unrounded });
        }

        json["prices_include_tax"] = pricesIncludeTax;
        json["coupon_lines"] = new JsonArray();
        json["discount_total"] = "0.00";
        json["discount_tax"] = "0.00";
        json["cart_tax"] = (decimal.Parse(totalTax, CultureInfo.InvariantCulture) - 7m).ToString("0.00", CultureInfo.InvariantCulture);
        json["tax_lines"]![0]!["tax_total"] = json["cart_tax"]!.GetValue<string>();
        json["total"] = total;
        json["total_tax"] = totalTax;
    }

    [Fact]
    public async Task A_negative_amount_the_erp_cannot_book_raises_an_incident_naming_the_order_and_posts_nothing()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order, edit: json =>
        {
            json["fee_lines"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = order.Id * 10 + 7, ["name"] = "Store credit", ["total"] = "-900.00", ["total_tax"] = "0.00" });
            json["total"] = "0.00";
        });

        JsonElement incident = default;
        await ShopifyStoreHost.EventuallyAsync(async () =>
        {
            incident = (await host.GetJsonAsync("/api/incidents?limit=500")).EnumerateArray()
                .FirstOrDefault(i => i.GetProperty("message").GetString()!.Contains($"WooCommerce order {order.Id} of {WooCommerceStoreHost.Store}", StringComparison.Ordinal));
            return incident.ValueKind == JsonValueKind.Object;
        }, "the order's incident");
        Assert.Contains("\"Store credit\" (-900.00, tax 0.00) cannot be booked", incident.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await books.CountAsync("Sales Invoice", order.Id));
        Assert.Equal(0, await books.CountAsync("Sales Order", order.Id));
        Assert.Equal(0, await books.CountAsync("Payment", order.Id));
    }

    [Fact]
    public async Task A_pending_order_reserves_stock_and_becomes_an_invoice_when_processing()
    {
        var order = new WooOrderPayload { Status = "pending", PaymentMethod = "cod" };
        var reservedBefore = await books.ReservedAsync("MUG-WHT");

        await host.OrderEventAsync("order.created", order);

        var salesOrder = (await books.DocumentAsync("Sales Order", order.Id));
        Assert.Equal("Open", salesOrder.GetProperty("status").GetString());
        Assert.Equal(order.Total, salesOrder.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal(0, await books.CountAsync("Sales Invoice", order.Id));

        var processing = new WooOrderPayload { Status = "processing", PaymentMethod = "cod", ModifiedGmt = "2026-11-24T11:00:00" };
        await host.OrderEventAsync("order.updated", order, edit: json => Copy(processing.Order(), json, "status", "date_modified_gmt", "date_paid_gmt"));

        Assert.Equal("Completed", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));
        var payment = (await books.DocumentAsync("Payment", order.Id));
        Assert.Equal(order.Total, ErpBooks.Debit(await books.GlAsync(payment.GetProperty("docNo").GetString()!), "1140"));
    }

    [Fact]
    public async Task An_unpaid_order_moved_to_the_trash_releases_its_stock_and_is_booked_by_its_status_when_restored()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        var reservedBefore = await books.ReservedAsync("MUG-WHT");
        await host.OrderEventAsync("order.created", order);
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));

        // Trashed: WooCommerce sends order.deleted with the id alone; the order reads back with status trash.
        var trashed = new WooOrderPayload { Status = "trash", ModifiedGmt = "2026-11-24T10:30:00" };
        Assert.Equal(["done"], await host.OrderEventAsync("order.deleted", order, edit: json => Copy(trashed.Order(), json, "status", "date_modified_gmt")));
        Assert.Equal("Cancelled", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));

        // Taken out of the trash, still unpaid: WooCommerce takes its stock again, and its sales order opens again to hold it.
        var restored = new WooOrderPayload { Status = "on-hold" };
        Assert.Equal(["done"], await host.OrderEventAsync("order.restored", order, edit: json => Copy(restored.Order(), json, "status")));
        Assert.Equal("Open", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));

        // Trashed again: the same body as the first time, a delivery of its own; the reservation is released again.
        host.Woo.State.SetOrderStatus(order.Id, "trash", DateTimeOffset.UtcNow.AddSeconds(10));
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.deleted", order.Id)));
        Assert.Equal("Cancelled", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));
        host.Woo.State.SetOrderStatus(order.Id, "on-hold", DateTimeOffset.UtcNow.AddSeconds(20));
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.restored", order.Id)));
        Assert.Equal("Open", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());

        // Then paid: the order is invoiced, completing its sales order and releasing the reservation.
        host.Woo.State.SetOrderStatus(order.Id, "processing", DateTimeOffset.UtcNow.AddMinutes(1));
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));
        Assert.Equal("Paid", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());
        Assert.Equal("Completed", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));

        // An order deleted for good is not there to read: nothing is booked from its id alone.
        var unknown = order.Id + 900_000;
        Assert.Equal("done", await host.SendAsync("order.deleted", $$"""{"id":{{unknown}}}"""));
        Assert.Equal(0, await books.CountAsync("Sales Order", unknown));
        var newest = (await host.GetJsonAsync("/api/runs?definitionId=woocommerce-order-to-cash&limit=1")).EnumerateArray().Single();
        var run = await host.GetJsonAsync($"/api/runs/{newest.GetProperty("id").GetGuid()}");
        Assert.Equal(("Finished", "deleted in the store for good before it was read: nothing booked"),
            (run.GetProperty("status").GetString(), run.GetProperty("output").GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task An_unpaid_order_deleted_for_good_releases_its_reservation_and_a_paid_one_deleted_stays_invoiced()
    {
        var unpaid = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        var paid = new WooOrderPayload();
        var reservedBefore = await books.ReservedAsync("MUG-WHT");
        await host.OrderEventAsync("order.created", unpaid);
        await host.OrderEventAsync("order.created", paid);
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));

        // Deleted for good (Shift+Delete in the admin, or emptied from the trash without its trash webhook): the store
        // no longer holds the order or its stock, and the webhook carries the id alone.
        Assert.True(host.Woo.State.DeleteOrder(unpaid.Id));
        Assert.True(host.Woo.State.DeleteOrder(paid.Id));
        WooCommerceStoreHost.AssertRunAtLeastOnce(await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.deleted", unpaid.Id, copies: 2)));
        Assert.Equal(["done"], await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.deleted", paid.Id)));

        var order = await books.DocumentAsync("Sales Order", unpaid.Id);
        Assert.Equal("Cancelled", order.GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));
        Assert.Contains(await OutcomesAsync(unpaid.Id), o => o == $"deleted in the store for good before it was read: sales order {order.GetProperty("docNo").GetString()} cancelled, its reservation released");

        var invoice = await books.DocumentAsync("Sales Invoice", paid.Id);
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(0, await host.CountAsync(
            "SELECT count(*) FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id LIKE @prefix",
            new { WooCommerceStoreHost.Store, prefix = paid.Id.ToString(CultureInfo.InvariantCulture) + "%" }));
        Assert.Contains(await OutcomesAsync(paid.Id), o => o == $"deleted in the store for good before it was read: invoiced {invoice.GetProperty("docNo").GetString()}, left as booked");
    }

    [Fact]
    public async Task A_failed_order_the_buyer_retries_reserves_its_stock_again()
    {
        var order = new WooOrderPayload { Status = "pending", PaymentMethod = "bacs" };
        var reservedBefore = await books.ReservedAsync("MUG-WHT");
        await host.OrderEventAsync("order.created", order);
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));

        // The card was declined; the buyer comes back and pays by bank transfer: WooCommerce puts the order on hold and takes its stock again.
        var failed = new WooOrderPayload { Status = "failed", ModifiedGmt = "2026-11-24T10:30:00" };
        await host.OrderEventAsync("order.updated", order, edit: json => Copy(failed.Order(), json, "status", "date_modified_gmt"));
        Assert.Equal("Cancelled", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));

        // The store stamps its changes to the second: put on hold within the second it failed in, the order carries the
        // version it had then, which is the sales order's own.
        var failedAt = DateTimeOffset.Parse((string)host.Woo.State.Order(order.Id)!["date_modified_gmt"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        host.Woo.State.SetOrderStatus(order.Id, "on-hold", failedAt);
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        Assert.Equal("Open", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore + 1, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal(1, await books.CountAsync("Sales Order", order.Id));

        var processing = new WooOrderPayload { Status = "processing", ModifiedGmt = "2026-11-24T12:00:00" };
        await host.OrderEventAsync("order.updated", order, edit: json => Copy(processing.Order(), json, "status", "date_modified_gmt", "date_paid_gmt"));
        Assert.Equal("Completed", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal("Paid", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_status_a_plugin_adds_is_booked_by_whether_the_order_was_paid()
    {
        // Order status plugins add steps after payment (shipped, delivered...) or before it; WooCommerce dates the payment either way.
        var shipped = new WooOrderPayload { Status = "shipped", PaidGmt = "2026-11-24T10:11:00" };
        var awaiting = new WooOrderPayload { Status = "awaiting-transfer" };

        Assert.Equal(["done"], await host.OrderEventAsync("order.updated", shipped));
        Assert.Equal(["done"], await host.OrderEventAsync("order.created", awaiting));

        var invoice = await books.DocumentAsync("Sales Invoice", shipped.Id);
        Assert.Equal(shipped.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal("Paid", invoice.GetProperty("status").GetString());
        Assert.Equal(0, await books.CountAsync("Sales Invoice", awaiting.Id));
        Assert.Equal("Open", (await books.DocumentAsync("Sales Order", awaiting.Id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_paid_days_after_it_was_placed_is_invoiced_on_the_day_it_was_paid_in_cairo()
    {
        // Placed on 24 November by bank transfer, paid late on 27 November GMT: 28 November in Cairo.
        var order = new WooOrderPayload { PaymentMethod = "bacs", PaidGmt = "2026-11-27T23:30:00", ModifiedGmt = "2026-11-27T23:31:00" };

        await host.OrderEventAsync("order.updated", order);

        var invoice = await books.DocumentAsync("Sales Invoice", order.Id);
        Assert.Equal("2026-11-28", invoice.GetProperty("postingDate").GetString());
        Assert.Equal("2026-11-28", (await books.DocumentAsync("Payment", order.Id)).GetProperty("postingDate").GetString());
    }

    [Fact]
    public async Task An_invoiced_order_cancelled_days_later_is_credited_on_the_day_it_was_cancelled()
    {
        var order = new WooOrderPayload();
        await host.OrderEventAsync("order.created", order);
        // Invoiced on 24 November (the order's payment date); cancelled later, when the store stamps it.
        var cancelledAt = DateTimeOffset.UtcNow.AddMinutes(5);
        host.Woo.State.SetOrderStatus(order.Id, "cancelled", cancelledAt);

        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        var credited = await books.SingleAsync<DateTime>(
            "SELECT posting_date FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_system = 'woocommerce' AND source_store = @Store AND source_id = @id",
            new { WooCommerceStoreHost.Store, id = order.Id.ToString(CultureInfo.InvariantCulture) + "/cancel" });
        Assert.Equal(TimeZoneInfo.ConvertTime(cancelledAt, TimeZoneInfo.FindSystemTimeZoneById("Africa/Cairo")).Date, credited);
        Assert.Equal("2026-11-24", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("postingDate").GetString());
    }

    [Fact]
    public async Task A_cancelled_unpaid_order_releases_its_reservation()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        var reservedBefore = await books.ReservedAsync("TSHIRT-BLU-M");
        await host.OrderEventAsync("order.created", order);
        Assert.Equal(reservedBefore + 2, await books.ReservedAsync("TSHIRT-BLU-M"));

        await host.OrderEventAsync("order.updated", order, edit: json => json["status"] = "cancelled");
        await host.OrderEventAsync("order.updated", order, edit: json => { json["status"] = "cancelled"; json["customer_note"] = "Cancelled by phone"; });

        Assert.Equal("Cancelled", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("TSHIRT-BLU-M"));
        Assert.Equal(0, await books.CountAsync("Sales Invoice", order.Id));
        var outcomes = await OutcomesAsync(order.Id);
        Assert.Contains("Cancelled", outcomes);
        Assert.Contains("AlreadyCancelled", outcomes);
    }

    [Fact]
    public async Task An_order_paid_part_refunded_and_cancelled_before_the_erp_invoiced_it_releases_its_reservation_and_raises_an_incident()
    {
        var order = new WooOrderPayload { Status = "on-hold", PaymentMethod = "bacs" };
        var reservedBefore = await books.ReservedAsync("TSHIRT-BLU-M");
        await host.OrderEventAsync("order.created", order);
        Assert.Equal(reservedBefore + 2, await books.ReservedAsync("TSHIRT-BLU-M"));

        // Paid, the mug refunded and the order cancelled while the host was away: the next delivery finds it so.
        var paid = order.Order();
        paid["status"] = "processing";
        paid["date_paid_gmt"] = "2026-11-24T10:00:00";
        paid["date_paid"] = "2026-11-24T12:00:00";
        host.Woo.State.PutOrder(paid);
        host.Woo.State.Refund(order.Id, [new WooCommerceStoreState.RefundItem(order.Id * 10 + 2, 1, 120m, 16.80m)]);
        host.Woo.State.SetOrderStatus(order.Id, "cancelled");
        await host.WaitAsync(await host.Woo.Webhooks.TriggerAsync("order.updated", order.Id));

        // The refund credits nothing (nothing was invoiced) and does not stop the cancellation.
        Assert.Equal("Cancelled", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("TSHIRT-BLU-M"));
        Assert.Equal(0, await books.CountAsync("Sales Invoice", order.Id));
        // What the customer paid and kept paying for is in no book: a person is told, once.
        Assert.Equal(1, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @kept",
            new { kept = $"Order {order.Id} of {WooCommerceStoreHost.Store} was cancelled before the ERP booked it, but money moved: paid {order.Total.ToString("0.00", CultureInfo.InvariantCulture)}, refunded 136.80 %" }));
    }

    [Fact]
    public async Task An_unpaid_order_the_store_cancelled_for_want_of_payment_and_then_paid_is_invoiced_once_and_issues_its_stock()
    {
        // WooCommerce cancels a pending order when its hold-stock time runs out; the payment comes after.
        var order = new WooOrderPayload { Status = "pending", PaymentMethod = "paymob" };
        var (reservedBefore, actualBefore) = (await books.ReservedAsync("MUG-WHT"), await books.ActualAsync("MUG-WHT"));
        await host.OrderEventAsync("order.created", order);
        await host.OrderEventAsync("order.updated", order, edit: json => { json["status"] = "cancelled"; json["date_modified_gmt"] = "2026-11-24T11:15:00"; });
        Assert.Equal("Cancelled", (await books.DocumentAsync("Sales Order", order.Id)).GetProperty("status").GetString());
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));

        var paid = new WooOrderPayload { Status = "processing", PaymentMethod = "paymob", ModifiedGmt = "2026-11-24T11:20:00" };
        await host.OrderEventAsync("order.updated", order, edit: json => Copy(paid.Order(), json, "status", "date_modified_gmt", "date_paid_gmt"));
        await host.OrderEventAsync("order.updated", order, edit: json => Copy(paid.Order(), json, "status", "date_modified_gmt", "date_paid_gmt"));

        Assert.Equal(1, await books.CountAsync("Sales Invoice", order.Id));
        Assert.Equal(order.Total, (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("grandTotal").GetDecimal());
        Assert.Equal(1, await books.CountAsync("Payment", order.Id));
        Assert.Equal(reservedBefore, await books.ReservedAsync("MUG-WHT"));
        Assert.Equal(actualBefore - 1, await books.ActualAsync("MUG-WHT"));
    }

    [Fact]
    public async Task A_stale_payload_is_read_again_from_the_store_and_the_order_booked_as_it_is_now()
    {
        var order = new WooOrderPayload { Status = "completed" };
        host.Woo.State.PutCustomer(order.Customer());
        host.Woo.State.PutOrder(order.Order());

        // The store delivers an old snapshot from when the order was still pending.
        await host.SendAsync("order.created", WooCommerceWebhookSender.Encode(WithId(new WooOrderPayload { Status = "pending" }.Order(), order)));

        Assert.Equal(0, await books.CountAsync("Sales Order", order.Id));
        Assert.Equal("Paid", (await books.DocumentAsync("Sales Invoice", order.Id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Guest_orders_land_on_the_guest_customer_and_checkout_drafts_are_not_booked()
    {
        var guest = new WooOrderPayload { Guest = true };
        var draft = new WooOrderPayload { Status = "checkout-draft" };

        await host.OrderEventAsync("order.created", guest);
        await host.OrderEventAsync("order.created", draft);

        Assert.Equal(WooCommerceStoreHost.GuestCustomer, (await books.DocumentAsync("Sales Invoice", guest.Id)).GetProperty("customer").GetString());
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM erp.sales_document WHERE source_system = 'woocommerce' AND source_id = @id",
            new { id = draft.Id.ToString(CultureInfo.InvariantCulture) }));
        Assert.Equal("checkout draft: not booked", Assert.Single(await host.OrderRunsAsync(draft.Id)).GetProperty("output").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task Connecting_created_the_webhooks_whose_pings_the_host_answered_without_storing_them()
    {
        Assert.Equal(6, host.Connected.Created.Count());
        var pings = host.Woo.Webhooks.Attempts.Where(a => a.Topic == "action.ping").ToList();
        Assert.Equal(6, pings.Count);
        Assert.All(pings, p => Assert.Equal(HttpStatusCode.OK, p.Status));
        Assert.All(host.Woo.State.Webhooks, w => Assert.False(w.PendingDelivery));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce' AND convert_from(body, 'UTF8') LIKE 'webhook_id=%'"));
    }

    [Fact]
    public async Task A_delivery_signed_with_another_secret_is_refused_and_counts_against_the_webhook()
    {
        var order = new WooOrderPayload();
        host.Woo.State.PutOrder(order.Order());
        var webhook = host.Woo.State.Webhooks.Single(w => w.Topic == "order.created");

        var delivery = await host.Woo.Webhooks.SendAsync(webhook, host.Woo.Webhooks.Payload("order.created", order.Id)!, signWith: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, delivery.Status);
        Assert.Equal(0, await books.CountAsync("Sales Invoice", order.Id));
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM integration.inbox WHERE source = 'woocommerce' AND convert_from(body, 'UTF8') LIKE @id", new { id = $"%\"id\":{order.Id},%" }));
    }

    private async Task<List<string?>> OutcomesAsync(long orderId) =>
        [.. (await host.OrderRunsAsync(orderId)).Select(r => r.GetProperty("output").GetProperty("outcome").GetString())];

    private static System.Text.Json.Nodes.JsonObject WithId(System.Text.Json.Nodes.JsonObject json, WooOrderPayload of)
    {
        var other = of.Order();
        foreach (var key in new[] { "id", "number", "order_key", "customer_id", "billing", "line_items", "shipping_lines", "tax_lines", "coupon_lines" })
        {
            json[key] = other[key]?.DeepClone();
        }

        return json;
    }

    private static void Copy(System.Text.Json.Nodes.JsonObject from, System.Text.Json.Nodes.JsonObject to, params string[] keys)
    {
        foreach (var key in keys)
        {
            to[key] = from[key]?.DeepClone();
        }
    }
}
