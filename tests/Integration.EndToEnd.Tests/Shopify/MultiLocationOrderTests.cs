using Dapper;

namespace Integration.EndToEnd.Tests.Shopify;

/// <summary>
/// A store with locations standing for different warehouses: each line of an order leaves the warehouse of the location
/// Shopify routed it to, so the stock pushed back to each location is what that location really has left; a refund's units
/// come back to the warehouse of the location they were restocked at.
/// </summary>
public sealed class MultiLocationOrderTests(ShopifyTwoLocationsHost host) : IClassFixture<ShopifyTwoLocationsHost>
{
    private readonly ErpBooks books = new(host);

    [Fact]
    public async Task Each_line_leaves_the_warehouse_of_the_location_Shopify_routed_it_to_and_each_location_is_pushed_its_own_stock()
    {
        await host.RunScheduleAsync("shopify-stock-push", "nightly");
        var state = host.Shopify.State;
        var main = state.Locations[0].Id;
        Assert.Equal(100, state.Available("TSHIRT-BLU-M", main));
        Assert.Equal(5, state.Available("SCARF-RED", host.Branch.Id));

        // No location has both a T-shirt and the scarf: Shopify ships the T-shirts from the main location, the scarf from the branch.
        var ids = new ShopifyOrderPayload().Lines;
        var order = new ShopifyOrderPayload { Lines = [(ids[0].Id, "TSHIRT-BLU-M", 2, 250.00m, 50.00m), (ids[1].Id, "SCARF-RED", 1, 180.00m, 0.00m)] };
        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
        Assert.Equal([main, host.Branch.Id], state.FulfillmentOrders(order.Id).Select(f => f.LocationId));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var docNo = invoice.GetProperty("docNo").GetString()!;
        var warehouses = invoice.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("sku").ValueKind == System.Text.Json.JsonValueKind.String)
            .ToDictionary(l => l.GetProperty("sku").GetString()!, l => l.GetProperty("warehouse").GetString());
        Assert.Equal("MAIN-WH", warehouses["TSHIRT-BLU-M"]);
        Assert.Equal("BRANCH-WH", warehouses["SCARF-RED"]);
        await using (var connection = await host.OpenAsync())
        {
            var moved = (await connection.QueryAsync<(string Sku, string Warehouse, decimal Qty)>(
                "SELECT sku, warehouse, sum(qty_change) FROM erp.stock_ledger_entry WHERE voucher_no = @docNo GROUP BY sku, warehouse ORDER BY sku", new { docNo })).ToList();
            Assert.Equal([("SCARF-RED", "BRANCH-WH", -1m), ("TSHIRT-BLU-M", "MAIN-WH", -2m)], moved);
        }

        // The scarf's cost came out of the branch's stock, at its rate: COGS 2 x 100 + 60.
        Assert.Equal(260m, ErpBooks.Debit(await books.GlAsync(docNo), "5100"));

        // Each location is shown what its warehouse has left; the main location never shows the branch's scarf.
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(98, state.Available("TSHIRT-BLU-M", main));
        Assert.Equal(4, state.Available("SCARF-RED", host.Branch.Id));
        Assert.True(state.Available("SCARF-RED", main) is null or 0);

        // The scarf comes back at the main location: the stock goes back to MAIN-WH, at what the sale cost.
        var refund = System.Text.Json.Nodes.JsonNode.Parse(order.RefundJson(order.Id + 500, restock: true, (1, 1)))!;
        refund["refund_line_items"]![0]!["location_id"] = main;
        var refunded = System.Text.Json.Nodes.JsonNode.Parse(order.Json())!;
        refunded["refunds"] = new System.Text.Json.Nodes.JsonArray(refund.DeepClone());
        refunded["line_items"]![1]!["current_quantity"] = 0; // as Shopify shows a line refunded in full
        state.AddOrder(refunded.AsObject());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        var note = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_store = @Store AND source_id = @id",
            new { ShopifyStoreHost.Store, id = (order.Id + 500).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using (var connection = await host.OpenAsync())
        {
            var back = (await connection.QueryAsync<(string Sku, string Warehouse, decimal Qty, decimal Value)>(
                "SELECT sku, warehouse, qty_change, value_change FROM erp.stock_ledger_entry WHERE voucher_no = @note", new { note })).ToList();
            Assert.Equal([("SCARF-RED", "MAIN-WH", 1m, 60m)], back);
        }
    }

    [Fact]
    public async Task A_line_shopify_splits_over_two_locations_leaves_each_locations_warehouse_and_comes_back_to_each()
    {
        var state = host.Shopify.State;
        var main = state.Locations[0].Id;
        var order = await SplitOrderAsync();

        // One invoice line per location, each with its units and its share of the discount and the VAT, to the cent; the
        // invoice comes to what the order came to, and is paid.
        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        var docNo = invoice.GetProperty("docNo").GetString()!;
        var scarves = invoice.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("sku").ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(l => (l.GetProperty("warehouse").GetString(), l.GetProperty("qty").GetDecimal(), l.GetProperty("netAmount").GetDecimal(), l.GetProperty("taxAmount").GetDecimal())).ToList();
        Assert.Equal([("MAIN-WH", 1m, 176.67m, 24.73m), ("BRANCH-WH", 2m, 353.33m, 49.47m)], scarves);
        Assert.Equal(order.Total, invoice.GetProperty("grandTotal").GetDecimal());
        Assert.Equal(0m, invoice.GetProperty("outstanding").GetDecimal());
        await using (var connection = await host.OpenAsync())
        {
            var moved = (await connection.QueryAsync<(string Warehouse, decimal Qty, decimal Value)>(
                "SELECT warehouse, sum(qty_change), sum(value_change) FROM erp.stock_ledger_entry WHERE voucher_no = @docNo AND sku = 'SCARF-BLU' GROUP BY warehouse ORDER BY warehouse", new { docNo })).ToList();
            Assert.Equal([("BRANCH-WH", -2m, -140m), ("MAIN-WH", -1m, -60m)], moved);
        }

        // Each location is shown what its warehouse has left: none.
        await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
        Assert.Equal(0, state.Available("SCARF-BLU", main));
        Assert.Equal(0, state.Available("SCARF-BLU", host.Branch.Id));

        // All three come back, each restocked where it shipped from: each part is credited, its units back in its warehouse.
        var refundId = order.Id + 600;
        var refund = SameDay(order.RefundJson(refundId, restock: true, (0, 1), (0, 2)));
        var lines = refund["refund_line_items"]!.AsArray();
        lines[0]!["location_id"] = main;
        lines[1]!["location_id"] = host.Branch.Id;
        lines[1]!["id"] = refundId + 7;
        var refunded = System.Text.Json.Nodes.JsonNode.Parse(order.Json())!;
        refunded["refunds"] = new System.Text.Json.Nodes.JsonArray(refund.DeepClone());
        refunded["line_items"]![0]!["current_quantity"] = 0;
        state.AddOrder(refunded.AsObject());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));

        var note = await books.DocumentAsync("Sales Return", refundId);
        Assert.Equal(176.67m + 24.73m + 353.33m + 49.47m, note.GetProperty("grandTotal").GetDecimal());
        Assert.All((await books.DocumentAsync(order, "Sales Invoice")).GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("sku").ValueKind == System.Text.Json.JsonValueKind.String),
            l => Assert.Equal(l.GetProperty("qty").GetDecimal(), l.GetProperty("returnedQty").GetDecimal()));
        await using (var connection = await host.OpenAsync())
        {
            var noteNo = note.GetProperty("docNo").GetString();
            var back = (await connection.QueryAsync<(string Warehouse, decimal Qty, decimal Value)>(
                "SELECT warehouse, sum(qty_change), sum(value_change) FROM erp.stock_ledger_entry WHERE voucher_no = @noteNo GROUP BY warehouse ORDER BY warehouse", new { noteNo })).ToList();
            Assert.Equal([("BRANCH-WH", 2m, 140m), ("MAIN-WH", 1m, 60m)], back);
        }
    }

    [Fact]
    public async Task A_split_line_refunded_in_part_then_cancelled_is_credited_whole_once()
    {
        var order = await SplitOrderAsync();

        // One scarf refunded, then the order cancelled, before the host heard of the refund: the cancellation credits the
        // two left (of either part), the refund then the one.
        var refundId = order.Id + 650;
        var refund = SameDay(order.RefundJson(refundId, restock: true, (0, 1))).ToJsonString();
        var cancelled = System.Text.Json.Nodes.JsonNode.Parse(order.Json())!;
        cancelled["cancelled_at"] = "2026-11-24T12:00:00+02:00";
        cancelled["cancel_reason"] = "customer";
        cancelled["financial_status"] = "partially_refunded";
        cancelled["updated_at"] = "2026-11-24T12:00:00+02:00";
        cancelled["refunds"] = new System.Text.Json.Nodes.JsonArray(System.Text.Json.Nodes.JsonNode.Parse(refund));
        Assert.Equal("done", await host.OrderEventAsync("orders/cancelled", cancelled.ToJsonString()));
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund));

        var invoice = await books.DocumentAsync(order, "Sales Invoice");
        Assert.All(invoice.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("sku").ValueKind == System.Text.Json.JsonValueKind.String),
            l => Assert.Equal(l.GetProperty("qty").GetDecimal(), l.GetProperty("returnedQty").GetDecimal()));
        await using var connection = await host.OpenAsync();
        var back = await connection.QuerySingleAsync<decimal>(
            "SELECT sum(qty_change) FROM erp.stock_ledger_entry s JOIN erp.sales_document d ON d.voucher_id = s.voucher_id WHERE d.doc_type = 'Sales Return' AND d.against_id = @id AND s.sku = 'SCARF-BLU'",
            new { id = invoice.GetProperty("id").GetInt64() });
        Assert.Equal(3m, back);
        Assert.Equal(0, await host.CountAsync("SELECT count(*) FROM flows.incident WHERE status = 'Open' AND message LIKE @order", new { order = "%" + order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) + "%" }));
    }

    // A refund the day of the sale: the scarves are back in stock for the next test's order (dated that day too).
    private static System.Text.Json.Nodes.JsonNode SameDay(string refundJson)
    {
        var refund = System.Text.Json.Nodes.JsonNode.Parse(refundJson)!;
        refund["created_at"] = "2026-11-24T13:00:00+02:00";
        refund["processed_at"] = "2026-11-24T13:00:00+02:00";
        return refund;
    }

    // Three blue scarves, 10.00 off: no location has three, so Shopify ships one from the main location and two from the branch.
    private async Task<ShopifyOrderPayload> SplitOrderAsync()
    {
        var state = host.Shopify.State;
        await host.RunScheduleAsync("shopify-stock-push", "nightly");
        Assert.Equal((1, 2), (state.Available("SCARF-BLU", state.Locations[0].Id), state.Available("SCARF-BLU", host.Branch.Id)));
        var order = new ShopifyOrderPayload { Lines = [(new ShopifyOrderPayload().Lines[0].Id, "SCARF-BLU", 3, 180.00m, 10.00m)] };
        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
        Assert.Equal([(state.Locations[0].Id, 1), (host.Branch.Id, 2)], state.FulfillmentOrders(order.Id).Select(f => (f.LocationId, f.LineItems.Sum(l => l.Quantity))));
        return order;
    }

    [Fact]
    public async Task Units_of_one_line_restocked_at_two_locations_come_back_to_each_locations_warehouse()
    {
        await host.RunScheduleAsync("shopify-stock-push", "nightly");
        var state = host.Shopify.State;
        var main = state.Locations[0].Id;
        var ids = new ShopifyOrderPayload().Lines;
        var order = new ShopifyOrderPayload { Lines = [(ids[0].Id, "TSHIRT-BLU-M", 2, 250.00m, 50.00m)] };
        Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
        await books.DocumentAsync(order, "Sales Invoice");

        // One T-shirt comes back to the branch, the other to the main location: two refund lines of one order line.
        var refund = System.Text.Json.Nodes.JsonNode.Parse(order.RefundJson(order.Id + 500, restock: true, (0, 1), (0, 1)))!;
        var lines = refund["refund_line_items"]!.AsArray();
        lines[0]!["location_id"] = host.Branch.Id;
        lines[1]!["location_id"] = main;
        lines[1]!["id"] = order.Id + 507;
        var refunded = System.Text.Json.Nodes.JsonNode.Parse(order.Json())!;
        refunded["refunds"] = new System.Text.Json.Nodes.JsonArray(refund.DeepClone());
        refunded["line_items"]![0]!["current_quantity"] = 0;
        state.AddOrder(refunded.AsObject());
        Assert.Equal("done", await host.DeliverAsync("refunds/create", refund.ToJsonString()));
        var note = await books.SingleAsync<string>("SELECT doc_no FROM erp.sales_document WHERE doc_type = 'Sales Return' AND source_store = @Store AND source_id = @id",
            new { ShopifyStoreHost.Store, id = (order.Id + 500).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using var connection = await host.OpenAsync();
        var back = (await connection.QueryAsync<(string Sku, string Warehouse, decimal Qty, decimal Value)>(
            "SELECT sku, warehouse, qty_change, value_change FROM erp.stock_ledger_entry WHERE voucher_no = @note ORDER BY warehouse", new { note })).ToList();
        Assert.Equal([("TSHIRT-BLU-M", "BRANCH-WH", 1m, 100m), ("TSHIRT-BLU-M", "MAIN-WH", 1m, 100m)], back);
    }

    [Fact]
    public async Task A_stuck_orders_units_stay_off_sale_in_the_store_until_the_ERP_books_it()
    {
        // A paid order the ERP refuses to invoice (its mug is on hold): the run stops at an incident, nothing booked.
        await SetStatusAsync("MUG-WHT", "On hold");
        try
        {
            var ids = new ShopifyOrderPayload().Lines;
            var order = new ShopifyOrderPayload { Lines = [(ids[0].Id, "CAP-BLK", 2, 120.00m, 0.00m), (ids[1].Id, "MUG-WHT", 1, 80.00m, 0.00m)] };
            Assert.Equal("done", await host.OrderEventAsync("orders/create", order.Json()));
            var run = (await host.OrderRunsAsync(order.Id)).Single().GetProperty("id").GetString();
            var incident = await books.SingleAsync<long>(
                "SELECT id FROM flows.incident WHERE instance_id = @run::uuid AND activity_id = 'invoice' AND status = 'Open'", new { run });

            // Caps arrive in the ERP meanwhile: the push shows the main location the ERP's balance less the order's two caps,
            // which the store sold and the ERP has not booked (before, it put them back on sale).
            var (code, body) = await host.PostAsync("/api/erp/stock-entries", new
            {
                company = "EG01",
                purpose = "Receipt",
                postingDate = "2026-11-24",
                lines = new object[] { new { sku = "CAP-BLK", qty = 10, rate = 30, warehouse = "MAIN-WH" } },
            });
            Assert.True(code is System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.OK, body.ToString());
            var main = host.Shopify.State.Locations[0].Id;
            var before = await AvailableToPromiseAsync("CAP-BLK");
            await host.RunScheduleAsync("shopify-stock-push", "everyMinute");
            Assert.Equal(before - 2, host.Shopify.State.Available("CAP-BLK", main));

            // Booked on retry: the ERP's balance counts the two caps now, and nothing is held any more.
            await SetStatusAsync("MUG-WHT", "Active");
            var (status, retried) = await host.PostAsync($"/api/incidents/{incident}/retry", new { });
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            Assert.Equal("Finished", retried.GetProperty("status").GetString());
            Assert.Equal(before - 2, await AvailableToPromiseAsync("CAP-BLK"));
            await host.RunScheduleAsync("shopify-stock-push", "nightly");
            Assert.Equal(before - 2, host.Shopify.State.Available("CAP-BLK", main));
        }
        finally
        {
            await SetStatusAsync("MUG-WHT", "Active");
        }
    }

    private Task<int> AvailableToPromiseAsync(string sku) =>
        books.SingleAsync<int>("SELECT (actual_qty - reserved_qty)::int FROM erp.bin WHERE sku = @sku AND warehouse = 'MAIN-WH'", new { sku });

    private async Task SetStatusAsync(string sku, string status)
    {
        var (code, body) = await host.PostAsync($"/api/erp/items/{sku}/status", new { status });
        Assert.True(code == System.Net.HttpStatusCode.OK, body.ToString());
    }
}
